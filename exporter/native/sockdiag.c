// The TCP sockets of a network namespace through netlink sock_diag (NETLINK_INET_DIAG), as `ss` reads them: one dump
// per address family, filtered by state in the kernel, so that the probe neither makes the kernel print the text of
// /proc/<pid>/net/tcp nor parses it. Linux only; the exporter falls back to /proc/<pid>/net/tcp when this addon is
// not built or a call fails (exporter/src/sources/procfs/sockDiag.ts).
//
// dump(nsPath, states, families) -> Buffer of RECORD-byte records, or throws an Error with .code (errno name) and
// .step ('open': entering the namespace or opening the socket; 'dump': the kernel's answer):
//   nsPath: '' for the calling thread's namespace, else a /proc/<pid>/ns/net link: the thread enters it (setns,
//           CAP_SYS_ADMIN) only to open the netlink socket, which stays bound to that namespace, and returns at once.
//   states: the TCP state bitmask (1 << TCP_ESTABLISHED | 1 << TCP_LISTEN).
//   families: 1 for AF_INET, 2 for AF_INET6, 3 for both (each dump walks the whole established hash table).
// A record: family (1 byte: 4 or 6), state (1), local port (2, host order), remote port (2), pad (2),
//           inode (4, host order), local address (16, network order), remote address (16).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <node_api.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD 44
#define RECV_SIZE (64 * 1024)

struct out {
  uint8_t *data;
  size_t len;
  size_t cap;
};

static int grow(struct out *o) {
  size_t cap = o->cap ? o->cap * 2 : 64 * 1024;
  uint8_t *d = realloc(o->data, cap);
  if (!d) return ENOMEM;
  o->data = d;
  o->cap = cap;
  return 0;
}

/** One NLM_F_DUMP request for a family; appends the records. 0 or an errno. */
static int dump_family(int fd, uint8_t family, uint32_t states, struct out *o, uint8_t *buf) {
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 req;
  } msg;
  memset(&msg, 0, sizeof msg);
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = family;
  msg.req.sdiag_family = family;
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = states;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  ssize_t sent;
  do sent = sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&kernel, sizeof kernel);
  while (sent < 0 && errno == EINTR);
  if (sent < 0) return errno;
  for (;;) {
    ssize_t n = recv(fd, buf, RECV_SIZE, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EPROTO;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != family) continue;
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        return h->nlmsg_len < NLMSG_LENGTH(sizeof *e) ? EPROTO : (e->error ? -e->error : EPROTO);
      }
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) {
        continue;
      }
      struct inet_diag_msg *m = NLMSG_DATA(h);
      if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6) continue;
      if (o->len + RECORD > o->cap && grow(o)) return ENOMEM;
      uint8_t *r = o->data + o->len;
      memset(r, 0, RECORD);
      r[0] = m->idiag_family == AF_INET ? 4 : 6;
      r[1] = m->idiag_state;
      uint16_t lport = ntohs(m->id.idiag_sport), rport = ntohs(m->id.idiag_dport);
      memcpy(r + 2, &lport, 2);
      memcpy(r + 4, &rport, 2);
      memcpy(r + 8, &m->idiag_inode, 4);
      size_t alen = m->idiag_family == AF_INET ? 4 : 16;
      memcpy(r + 12, m->id.idiag_src, alen);
      memcpy(r + 28, m->id.idiag_dst, alen);
      o->len += RECORD;
    }
  }
}

/** A netlink socket in the namespace of nsPath ('' for this thread's); -errno on failure. */
static int open_in(const char *nsPath) {
  if (nsPath[0] == 0) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_INET_DIAG);
    return fd < 0 ? -errno : fd;
  }
  int target = open(nsPath, O_RDONLY | O_CLOEXEC);
  if (target < 0) return -errno;
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) {
    int e = errno;
    close(target);
    return -e;
  }
  struct stat a, b;
  int fd;
  if (fstat(target, &a) == 0 && fstat(self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
    fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_INET_DIAG);
    if (fd < 0) fd = -errno;
  } else if (setns(target, CLONE_NEWNET) != 0) {
    fd = -errno;
  } else {
    fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_INET_DIAG);
    if (fd < 0) fd = -errno;
    // back to our own namespace: a thread left in another one would read the wrong tables from then on
    if (setns(self, CLONE_NEWNET) != 0) abort();
  }
  close(target);
  close(self);
  return fd;
}

static napi_value fail(napi_env env, int err, const char *what) {
  char msg[256];
  snprintf(msg, sizeof msg, "sock_diag %s: %s", what, strerror(err));
  napi_value code, text, error, step;
  const char *name = err == EPERM ? "EPERM" : err == EACCES ? "EACCES" : err == ENOENT ? "ENOENT"
                   : err == EPROTONOSUPPORT ? "EPROTONOSUPPORT" : err == EINVAL ? "EINVAL"
                   : err == ENOMEM ? "ENOMEM" : err == ESRCH ? "ESRCH" : "EIO";
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, code, text, &error);
  napi_create_string_utf8(env, what, NAPI_AUTO_LENGTH, &step);
  napi_set_named_property(env, error, "step", step);
  napi_throw(env, error);
  return NULL;
}

/**
 * The records of the last dump, kept for the next (per thread, grown to the largest dump): the result is copied into a
 * Buffer that V8 allocates and accounts for, so that its garbage collector sees the memory a dump holds.
 */
static __thread struct out scratch;

static napi_value dump(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) return fail(env, EINVAL, "args");
  char path[4096];
  size_t plen;
  uint32_t states, families;
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &plen) != napi_ok || plen >= sizeof path - 1 ||
      napi_get_value_uint32(env, argv[1], &states) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &families) != napi_ok) {
    return fail(env, EINVAL, "args");
  }
  int fd = open_in(path);
  if (fd < 0) return fail(env, -fd, "open");
  uint8_t *buf = malloc(RECV_SIZE);
  struct out o = scratch;
  o.len = 0;
  int err = buf ? 0 : ENOMEM;
  if (!err && (families & 1)) err = dump_family(fd, AF_INET, states, &o, buf);
  if (!err && (families & 2)) err = dump_family(fd, AF_INET6, states, &o, buf);
  free(buf);
  close(fd);
  scratch = o;
  if (err) return fail(env, err, "dump");
  napi_value result;
  if (napi_create_buffer_copy(env, o.len, o.len ? o.data : (const void *)"", NULL, &result) != napi_ok) {
    return fail(env, ENOMEM, "dump");
  }
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, size;
  napi_create_function(env, "dump", NAPI_AUTO_LENGTH, dump, NULL, &fn);
  napi_set_named_property(env, exports, "dump", fn);
  napi_create_uint32(env, RECORD, &size);
  napi_set_named_property(env, exports, "recordSize", size);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
