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
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
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

static long probe(const char *name)
{
    if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0);
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
