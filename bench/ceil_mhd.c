/* ceil_mhd.c - ceiling 1: libmicrohttpd alone.
 *
 * Usage: ceil_mhd PORT
 *
 * Listens on 127.0.0.1:PORT (epoll, internal thread pool of 2, like kefu)
 * and answers every request with the same ~150-byte JSON document.  No
 * database, no allocation per request: this is what the HTTP layer costs on
 * this machine.  Runs until SIGINT or SIGTERM.
 *
 * Keep-alive trap (see /work/shared/STACK-NOTES.md): libmicrohttpd 0.9.75
 * sends "Connection: close" when a response is queued on the first call of
 * the access handler, so the first call only marks the request and the
 * response is queued on the second. */
#include <netinet/in.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

static const char body[] =
	"{\"id\":42,\"name\":\"ceiling\",\"lifecycle\":\"general\",\"tier\":\"potential\","
	"\"phone\":\"+8613900000042\",\"company\":\"kefu bench\",\"version\":1,"
	"\"updated_at\":1732500000000}";

static struct MHD_Response *resp;
static int first_call_marker;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	if (*req_cls == NULL) { /* first call: headers only; do not answer yet */
		*req_cls = &first_call_marker;
		return MHD_YES;
	}
	if (*upload_data_size != 0) { /* ignore any body */
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(c, MHD_HTTP_OK, resp);
}

static int parse_port(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 65535)
		return -1;
	return (int)v;
}

int main(int argc, char **argv)
{
	if (argc != 2 || parse_port(argv[1]) < 0) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	int port = parse_port(argv[1]);

	resp = MHD_create_response_from_buffer(sizeof body - 1, (void *)body,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp || MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					     "application/json") != MHD_YES) {
		fprintf(stderr, "ceil_mhd: cannot create the response\n");
		return 1;
	}

	/* Block the signals before MHD starts its threads, so that only
	 * sigwait() below sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL,
		on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)2,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ceil_mhd: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	fprintf(stderr, "ceil_mhd: listening on 127.0.0.1:%d\n", port);

	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	return 0;
}
