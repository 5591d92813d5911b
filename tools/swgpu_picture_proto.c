// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The gmmu authors
 *
 * swgpu_picture_proto: the messages between the demo picture's producers
 * and its compositor, and the panel every panel producer draws
 * (swgpu_picture_proto.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "swgpu_picture_proto.h"

const struct panel_rect panel_rects[] = {
	/* A test card: a frame, seven colour bars, a grey ramp below. */
	{ 0, 0, PANEL_W, PANEL_H, 30, 30, 40 },
	{ 4, 4, 13, 40, 236, 236, 236 },
	{ 17, 4, 13, 40, 236, 220, 40 },
	{ 30, 4, 13, 40, 40, 220, 230 },
	{ 43, 4, 12, 40, 40, 200, 60 },
	{ 55, 4, 13, 40, 220, 50, 210 },
	{ 68, 4, 12, 40, 220, 40, 40 },
	{ 80, 4, 12, 40, 40, 50, 220 },
	{ 4, 46, 22, 14, 16, 16, 16 },
	{ 26, 46, 22, 14, 72, 72, 72 },
	{ 48, 46, 22, 14, 140, 140, 140 },
	{ 70, 46, 22, 14, 220, 220, 220 },
};
const unsigned int npanel_rects = sizeof(panel_rects) / sizeof(panel_rects[0]);

/* Room for one descriptor, aligned as a control message must be. */
union cmsg_fd {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

int send_msg(int sock, struct part_msg *m, int fd)
{
	union cmsg_fd cbuf = { 0 };
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	m->magic = PART_MAGIC;
	if (fd >= 0) {
		struct cmsghdr *c;

		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(*m) ? 0 : -errno;
}

void send_text(int sock, enum msg_kind kind, const char *fmt, ...)
{
	struct part_msg m = { .kind = kind };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m.text, sizeof(m.text), fmt, ap);
	va_end(ap);
	send_msg(sock, &m, -1);
}

int recv_msg(int sock, struct part_msg *m, int *fd)
{
	union cmsg_fd cbuf;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return n ? -errno : 0;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (n != sizeof(*m) || m->magic != PART_MAGIC) {
		if (*fd >= 0)
			close(*fd);
		return -EPROTO;
	}
	m->text[sizeof(m->text) - 1] = '\0';
	return 1;
}

int panel_client_socket(const char *who)
{
	const char *fd = getenv(PANEL_ENV_FD);
	const char *size = getenv(PANEL_ENV_SIZE);
	int w, h, sock;

	if (!fd || !size || sscanf(fd, "%d", &sock) != 1 || sock < 0 ||
	    sscanf(size, "%dx%d", &w, &h) != 2) {
		fprintf(stderr, "%s: run me through swgpu_picture --panel-cmd (%s and %s unset)\n",
			who, PANEL_ENV_FD, PANEL_ENV_SIZE);
		return -2;
	}
	if (w != PANEL_W || h != PANEL_H) {
		send_text(sock, MSG_FAIL, "%s: a %s panel? I draw %dx%d",
			  who, size, PANEL_W, PANEL_H);
		return -1;
	}
	return sock;
}
