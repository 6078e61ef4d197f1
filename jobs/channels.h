/* channels.h - the worker of the channels (issue 10) in `kefu serve`: a
 * thread that, every KEFU_CHANNELS_TICK_MS (default 1000; 0 turns it off),
 * delivers due webhooks (the changes themselves queue the events), sends
 * queued e-mail and polls the IMAP mailbox when one is configured.
 * Everything it works on is in the database and claimed with leases, so
 * any number of instances may run it. */
#ifndef KF_JOBS_CHANNELS_H
#define KF_JOBS_CHANNELS_H

/* Starts the thread (after db_thread_setup); 0, or -1. */
int channels_start(void);
/* Stops it (finishing the current tick) and the import jobs of this process. */
void channels_stop(void);

#endif
