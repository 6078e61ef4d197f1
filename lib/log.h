/* log.h - one line per event on stderr, with a level and a UTC timestamp.
 * log_error returns -1 so that `return log_error(...)` reads as git's error(). */
#ifndef KF_LOG_H
#define KF_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
