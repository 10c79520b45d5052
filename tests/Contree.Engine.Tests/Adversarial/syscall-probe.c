/*
 * Tries one system call a hostile command would use and prints "<name> <errno>" (0 when the call succeeded), so a
 * test can tell a refused call (EPERM from the seccomp filter) from a missing one (ENOSYS) or a working one.
 * Built statically by the tests with gcc, so it runs in any image. Arguments are harmless: nothing here can change
 * the host even when a call is allowed (mounts on a private path, tiny buffers, invalid handles).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long clone_with(unsigned long flags)
{
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        _exit(0);
    }
    if (pid > 0) {
        waitpid((pid_t)pid, NULL, 0);
        return 0;
    }
    return -1;
}

/* Connects to 127.0.0.1:<port> ("tcp_loopback:<port>") or to the abstract unix socket "@<name>"
   ("unix_abstract:<name>"); 0 when the connection was accepted. */
static long connect_probe(const char *name)
{
    if (!strncmp(name, "tcp_loopback:", 13)) {
        struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(name + 13)) };
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return -1;
        return connect(fd, (struct sockaddr *)&address, sizeof address);
    }
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (!strncmp(name, "unix_path:", 10)) {
        size_t path_length = strlen(name + 10);
        if (path_length + 1 > sizeof address.sun_path) { errno = ENAMETOOLONG; return -1; }
        memcpy(address.sun_path, name + 10, path_length + 1);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) return -1;
        return connect(fd, (struct sockaddr *)&address, sizeof address);
    }
    size_t length = strlen(name + 14);
    if (length + 1 > sizeof address.sun_path) { errno = ENAMETOOLONG; return -1; }
    memcpy(address.sun_path + 1, name + 14, length); /* sun_path[0] = 0: the abstract namespace (unix(7)) */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    return connect(fd, (struct sockaddr *)&address, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + length));
}

/* The classic chroot break-out: chroot into a subdirectory while keeping the working directory outside, climb, chroot
   to what is reached. Then looks for a file only the host has ("chroot_escape:<path>"): 0 when it is visible. */
static long chroot_escape(const char *host_only)
{
    mkdir("/tmp/contree-jail", 0755);
    if (chroot("/tmp/contree-jail") != 0) return -1;
    for (int i = 0; i < 64; i++) {
        if (chdir("..") != 0) return -1;
    }
    if (chroot(".") != 0) return -1;
    return access(host_only, F_OK);
}

/*
 * The host-keyring attack: with serials the test seeded in the host root's user keyring, read the key, link the keyring
 * into this process's session keyring, or search it for the key by description ("key_search:<ring>:<description>").
 */
static long key_probe(const char *name)
{
    const char *colon = strchr(name, ':');
    long serial = strtol(colon + 1, NULL, 10);
    if (!strncmp(name, "key_read:", 9)) {
        char buffer[256];
        return syscall(SYS_keyctl, KEYCTL_READ, serial, buffer, sizeof buffer);
    }
    if (!strncmp(name, "key_link:", 9)) return syscall(SYS_keyctl, KEYCTL_LINK, serial, KEY_SPEC_SESSION_KEYRING);
    const char *description = strchr(colon + 1, ':');
    if (description == NULL) {
        errno = EINVAL;
        return -1;
    }
    return syscall(SYS_keyctl, KEYCTL_SEARCH, serial, "user", description + 1, 0);
}

/* Host side of the keyring probes: adds a user key to the caller's user keyring; prints "<key> <user keyring>". */
static int seed_key(const char *description, const char *payload)
{
    long key = syscall(SYS_add_key, "user", description, payload, strlen(payload), KEY_SPEC_USER_KEYRING);
    long ring = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0);
    if (key == -1 || ring == -1) {
        perror("seed_key");
        return 1;
    }
    printf("%ld %ld\n", key, ring);
    return 0;
}

/* A TCP connection to <ipv4>:<port> with 5 s timeouts, or -1 with errno set. */
static int dial(const char *address, const char *port)
{
    struct sockaddr_in target = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port)) };
    if (inet_pton(AF_INET, address, &target.sin_addr) != 1) { errno = EINVAL; return -1; }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct timeval timeout = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(fd, (struct sockaddr *)&target, sizeof target) != 0) { int saved = errno; close(fd); errno = saved; return -1; }
    return fd;
}

/* Reads the whole answer; prints its body (after the head), or "closed" when the peer sent nothing. */
static void print_body(int fd, int whole)
{
    static char response[1 << 20];
    size_t total = 0;
    ssize_t got;
    while (total < sizeof response - 1 && (got = read(fd, response + total, sizeof response - 1 - total)) > 0) total += (size_t)got;
    response[total] = 0;
    if (total == 0) { puts("closed"); return; }
    if (whole) { char *end = strstr(response, "\r\n"); if (end) *end = 0; puts(response); return; }
    char *body = strstr(response, "\r\n\r\n");
    fputs(body != NULL ? body + 4 : "", stdout);
}

/*
 * An HTTP/1.0 GET without name resolution (busybox wget crashes in a static glibc's service lookup): prints the body,
 * or "error <errno>" when the connection fails. "http <ipv4> <port> <path> [host]": the Host header is the address
 * unless a host is given; a path of "http://…" makes it a request to a proxy.
 */
static int http_get(const char *address, const char *port, const char *path, const char *host)
{
    int fd = dial(address, port);
    if (fd < 0) { printf("error %d\n", errno); return 0; }
    /* PROBE_DELAY_MS: stay silent first, like a client of a protocol where the server speaks first. */
    const char *delay = getenv("PROBE_DELAY_MS");
    if (delay != NULL) usleep((useconds_t)atoi(delay) * 1000);
    char request[1024];
    int length = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host != NULL ? host : address);
    if (write(fd, request, (size_t)length) != length) { printf("error %d\n", errno); return 0; }
    print_body(fd, 0);
    return 0;
}

/* "tunnel <proxy ipv4> <port> <host:port> <path>": CONNECT through a proxy, then an HTTP/1.0 GET inside; prints the proxy's status line on refusal. */
static int http_tunnel(const char *address, const char *port, const char *authority, const char *path)
{
    int fd = dial(address, port);
    if (fd < 0) { printf("error %d\n", errno); return 0; }
    char request[1024];
    int length = snprintf(request, sizeof request, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", authority, authority);
    if (write(fd, request, (size_t)length) != length) { printf("error %d\n", errno); return 0; }
    char status[512];
    ssize_t got = read(fd, status, sizeof status - 1);
    if (got <= 0) { puts("closed"); return 0; }
    status[got] = 0;
    if (strncmp(status, "HTTP/1.1 200", 12) != 0) { char *end = strstr(status, "\r\n"); if (end) *end = 0; puts(status); return 0; }
    char host[256];
    snprintf(host, sizeof host, "%s", authority);
    char *colon = strchr(host, ':');
    if (colon) *colon = 0;
    length = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
    if (write(fd, request, (size_t)length) != length) { printf("error %d\n", errno); return 0; }
    print_body(fd, 0);
    return 0;
}

/*
 * "tls <ipv4> <port> <server name>": a TLS 1.2 ClientHello carrying the server name (RFC 6066 §3), then an empty line
 * so a plain HTTP server answers 400 at once; prints the first line of the answer, or "closed".
 */
static int tls_hello(const char *address, const char *port, const char *name)
{
    int fd = dial(address, port);
    if (fd < 0) { printf("error %d\n", errno); return 0; }
    size_t n = strlen(name);
    unsigned char hello[512];
    size_t extensions = 9 + n, body = 2 + 32 + 1 + 4 + 2 + 2 + extensions, at = 0;
    unsigned char head[] = { 0x16, 3, 1, (unsigned char)((body + 4) >> 8), (unsigned char)(body + 4), 1, 0, (unsigned char)(body >> 8), (unsigned char)body, 3, 3 };
    memcpy(hello, head, sizeof head); at = sizeof head;
    memset(hello + at, 7, 32); at += 32;
    hello[at++] = 0;                                        /* session id */
    hello[at++] = 0; hello[at++] = 2; hello[at++] = 0; hello[at++] = 0x2f; /* one cipher suite */
    hello[at++] = 1; hello[at++] = 0;                      /* null compression */
    hello[at++] = (unsigned char)(extensions >> 8); hello[at++] = (unsigned char)extensions;
    hello[at++] = 0; hello[at++] = 0;                      /* server_name */
    hello[at++] = (unsigned char)((n + 5) >> 8); hello[at++] = (unsigned char)(n + 5);
    hello[at++] = (unsigned char)((n + 3) >> 8); hello[at++] = (unsigned char)(n + 3);
    hello[at++] = 0;                                        /* host_name */
    hello[at++] = (unsigned char)(n >> 8); hello[at++] = (unsigned char)n;
    memcpy(hello + at, name, n); at += n;
    memcpy(hello + at, "\r\n\r\n", 4); at += 4;
    if (write(fd, hello, at) != (ssize_t)at) { printf("error %d\n", errno); return 0; }
    print_body(fd, 1);
    return 0;
}

/* Host side: removes a seeded key. */
static int drop_key(long key)
{
    if (syscall(SYS_keyctl, KEYCTL_INVALIDATE, key) == -1) {
        perror("drop_key");
        return 1;
    }
    return 0;
}

static long probe(const char *name)
{
    if (!strncmp(name, "chroot_escape:", 14)) return chroot_escape(name + 14);
    if (!strncmp(name, "tcp_loopback:", 13) || !strncmp(name, "unix_abstract:", 14) || !strncmp(name, "unix_path:", 10)) return connect_probe(name);
    if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0);
    if (!strncmp(name, "key_read:", 9) || !strncmp(name, "key_link:", 9) || !strncmp(name, "key_search:", 11)) return key_probe(name);
    if (!strcmp(name, "add_key")) return syscall(SYS_add_key, "user", "contree-probe", "x", 1, KEY_SPEC_PROCESS_KEYRING);
    if (!strcmp(name, "request_key")) return syscall(SYS_request_key, "user", "contree-probe", NULL, 0);
    if (!strcmp(name, "unshare_user")) return unshare(CLONE_NEWUSER);
    if (!strcmp(name, "unshare_mount")) return unshare(CLONE_NEWNS);
    if (!strcmp(name, "setns")) return setns(0, 0);
    if (!strcmp(name, "clone_newuser")) return clone_with(CLONE_NEWUSER);
    if (!strcmp(name, "clone_newns")) return clone_with(CLONE_NEWNS);
    if (!strcmp(name, "clone_plain")) return clone_with(0);
    if (!strcmp(name, "clone3")) return syscall(SYS_clone3, NULL, 0);
    if (!strcmp(name, "mount")) return mount("none", "/tmp", "tmpfs", 0, NULL);
    if (!strcmp(name, "umount2")) return umount2("/proc", MNT_DETACH);
    if (!strcmp(name, "pivot_root")) return syscall(SYS_pivot_root, "/tmp", "/tmp");
    if (!strcmp(name, "fsopen")) return syscall(SYS_fsopen, "tmpfs", 0);
    if (!strcmp(name, "open_tree")) return syscall(SYS_open_tree, AT_FDCWD, "/tmp", 0);
    if (!strcmp(name, "open_by_handle_at")) return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0);
    if (!strcmp(name, "name_to_handle_at")) return syscall(SYS_name_to_handle_at, AT_FDCWD, "/", NULL, NULL, 0);
    if (!strcmp(name, "bpf")) return syscall(SYS_bpf, 0, NULL, 0);
    if (!strcmp(name, "perf_event_open")) return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
    if (!strcmp(name, "userfaultfd")) return syscall(SYS_userfaultfd, 0);
    if (!strcmp(name, "io_uring_setup")) return syscall(SYS_io_uring_setup, 1, NULL);
    if (!strcmp(name, "kexec_load")) return syscall(SYS_kexec_load, 0, 0, NULL, 0);
    if (!strcmp(name, "init_module")) return syscall(SYS_init_module, NULL, 0, "");
    if (!strcmp(name, "finit_module")) return syscall(SYS_finit_module, -1, "", 0);
    if (!strcmp(name, "delete_module")) return syscall(SYS_delete_module, "contree_probe", 0);
    if (!strcmp(name, "swapon")) return syscall(SYS_swapon, "/nonexistent", 0);
    if (!strcmp(name, "acct")) return syscall(SYS_acct, NULL);
    if (!strcmp(name, "syslog")) return syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    if (!strcmp(name, "process_vm_readv")) return syscall(SYS_process_vm_readv, 1, NULL, 0, NULL, 0, 0);
    if (!strcmp(name, "settimeofday")) return syscall(SYS_settimeofday, NULL, NULL);
    if (!strcmp(name, "sethostname")) return sethostname("x", 1);
    if (!strcmp(name, "personality_addr_no_randomize")) return personality(ADDR_NO_RANDOMIZE);
    if (!strcmp(name, "personality_query")) return personality(0xffffffff) == -1 ? -1 : 0;
    if (!strcmp(name, "getpid")) return getpid() > 0 ? 0 : -1;
    /* mseal (x86-64 number 462, Linux 6.10) is newer than Debian 12's libseccomp: a call the filter does not know. */
    if (!strcmp(name, "mseal")) return syscall(462, 0, 0, 0);
    if (!strcmp(name, "fork")) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        if (pid < 0) return -1;
        waitpid(pid, NULL, 0);
        return 0;
    }
    errno = EINVAL;
    fprintf(stderr, "syscall-probe: unknown probe '%s'\n", name);
    return -2;
}

/* Prints the open descriptors this process inherited (it opens none itself before this runs). */
static void list_fds(void)
{
    for (int fd = 0; fd < 4096; fd++) {
        if (fcntl(fd, F_GETFD) != -1) {
            printf("%d\n", fd);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "seed_key")) return seed_key(argv[2], argv[3]);
    if (argc == 3 && !strcmp(argv[1], "drop_key")) return drop_key(strtol(argv[2], NULL, 10));
    if ((argc == 5 || argc == 6) && !strcmp(argv[1], "http")) return http_get(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
    if (argc == 6 && !strcmp(argv[1], "tunnel")) return http_tunnel(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 5 && !strcmp(argv[1], "tls")) return tls_hello(argv[2], argv[3], argv[4]);
    if (argc == 2 && !strcmp(argv[1], "fds")) {
        list_fds();
        return 0;
    }

    for (int i = 1; i < argc; i++) {
        errno = 0;
        long result = probe(argv[i]);
        if (result == -2) return 2;
        printf("%s %d\n", argv[i], result == -1 ? errno : 0);
    }
    return 0;
}
