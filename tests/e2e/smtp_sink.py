#!/usr/bin/python3
"""smtp_sink.py - a test SMTP server: every message is kept in OUTDIR (one .eml
per message) and delivered to the local mailbox of each recipient through
dovecot-lda, so it arrives in that user's IMAP INBOX.

usage: smtp_sink.py PORT OUTDIR DOVECOT_CONF"""
import asyncio
import os
import subprocess
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir, conf):
        self.outdir, self.conf, self.n = outdir, conf, 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        data = envelope.original_content or envelope.content
        with open(os.path.join(self.outdir, f'{self.n:04d}.eml'), 'wb') as f:
            f.write(data)
        for rcpt in envelope.rcpt_tos:
            user = rcpt.split('@')[0]
            # the local part names the mailbox (the tests' users: service, customer)
            r = subprocess.run(['/usr/lib/dovecot/dovecot-lda', '-c', self.conf, '-d', user,
                                '-f', envelope.mail_from], input=data)
            if r.returncode != 0:
                return '451 delivery to %s failed' % user
        return '250 OK'


def main():
    port, outdir, conf = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    c = Controller(Sink(outdir, conf), hostname='127.0.0.1', port=port)
    c.start()
    print('ready', flush=True)
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        c.stop()


if __name__ == '__main__':
    main()
