/* common.h - included by every .c file of ours, after the system headers. */
#ifndef KF_COMMON_H
#define KF_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define KF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define KF_UNUSED(x) ((void)(x))

#include "lib/banned.h"

#endif
