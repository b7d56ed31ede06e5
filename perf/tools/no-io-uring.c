/*
 * no-io-uring - run a command with the io_uring system calls refused (EPERM), as the default seccomp profiles of
 * Docker, containerd and Podman refuse them. Lets the transport fallback be seen on a machine whose kernel allows
 * io_uring, without a container runtime:
 *
 *   gcc -O2 -o /tmp/no-io-uring perf/tools/no-io-uring.c
 *   /tmp/no-io-uring java -jar target/ack-fat.jar -conf conf/config.json   # start-up line: epoll (io_uring refused: ...)
 *
 * x86-64 only (the syscall numbers 425-427 are the same on every architecture that has io_uring, the audit arch check
 * is not). Needs no privileges: PR_SET_NO_NEW_PRIVS first, as seccomp requires.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#define IO_URING_SETUP 425
#define IO_URING_ENTER 426
#define IO_URING_REGISTER 427

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: no-io-uring COMMAND [ARG...]\n");
        return 2;
    }
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, IO_URING_SETUP, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, IO_URING_REGISTER, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        perror("no-io-uring: seccomp");
        return 1;
    }
    execvp(argv[1], argv + 1);
    perror("no-io-uring: exec");
    return 127;
}
