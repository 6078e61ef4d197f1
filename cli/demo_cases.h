/* demo_cases.h - `kefu demo --cases N`: N realistic cases over the past
 * two years (or the span asked for), for the case screens and the 1,000,000-case benchmark
 * (bench/cases.sh).  Needs the demo staff and some customers. */
#ifndef KF_CLI_DEMO_CASES_H
#define KF_CLI_DEMO_CASES_H

#include <stdint.h>

#include "store/db.h"

/* Inserts n cases (1000 per transaction) spread over the last span_days,
 * with their timeline, numbers, SLA due times from the business calendar,
 * and the agents' loads; draws a progress bar on stderr when tty.
 * Returns the number added or < 0. */
int64_t demo_cases(db *d, int64_t n, int span_days, uint64_t seed, int tty);

#endif
