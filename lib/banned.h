/* banned.h - functions we do not use, because each has a safer form here.
 *
 * Included last by every translation unit of ours (through lib/common.h), so
 * a use fails to compile.  strcpy/strcat/sprintf overflow silently; strtok
 * keeps hidden state across threads; gets cannot be used safely at all. */
#ifndef KF_BANNED_H
#define KF_BANNED_H

#define KF_BANNED(f) sorry_##f##_is_banned_use_the_buf_or_snprintf_forms

#undef strcpy
#define strcpy(x, y) KF_BANNED(strcpy)
#undef strcat
#define strcat(x, y) KF_BANNED(strcat)
#undef sprintf
#define sprintf(...) KF_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) KF_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) KF_BANNED(strtok)
#undef gets
#define gets(x) KF_BANNED(gets)

#endif
