/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * dpdk-test: initialise EAL, run the tests named in DPDK_TEST or on the command line
 * (after the EAL arguments, optionally behind "--"), print "Test OK", "Test Skipped" or
 * "Test Failed" for each, and exit 0 when all passed, 77 when all were skipped, 1 when
 * any failed. Without a name, list the registered tests.
 */

#define _GNU_SOURCE /* sched_getaffinity() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "test.h"

static TAILQ_HEAD(, test_command) commands = TAILQ_HEAD_INITIALIZER(commands);

void
add_test_command(struct test_command *t)
{
	TAILQ_INSERT_TAIL(&commands, t, next);
}

static struct test_command *
find_command(const char *name)
{
	struct test_command *t;

	TAILQ_FOREACH(t, &commands, next)
		if (strcmp(t->command, name) == 0)
			return t;
	return NULL;
}

static int
run_command(const char *name)
{
	struct test_command *t = find_command(name);
	int ret;

	if (t == NULL) {
		printf("Unknown test: %s\n", name);
		printf("Test Failed\n");
		return TEST_FAILED;
	}

	if (!t->nohuge_ok && !rte_eal_has_hugepages()) {
		printf("%s: needs hugepages, EAL runs without them\nTest Skipped\n", name);
		return TEST_SKIPPED;
	}
	if (!t->asan_ok && TEST_ASAN) {
		printf("%s: not run under AddressSanitizer\nTest Skipped\n", name);
		return TEST_SKIPPED;
	}

	printf("RTE>>%s\n", name);
	fflush(stdout);
	ret = t->callback();
	if (ret == TEST_SUCCESS)
		printf("Test OK\n");
	else if (ret == TEST_SKIPPED)
		printf("Test Skipped\n");
	else
		printf("Test Failed\n");
	fflush(stdout);
	return ret;
}

static void
list_commands(void)
{
	struct test_command *t;

	printf("Registered tests:\n");
	TAILQ_FOREACH(t, &commands, next)
		printf("  %s\n", t->command);
}

int
test_run_in_child(void (*func)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		func(arg);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return -1;
}

long
test_rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (f == NULL)
		return -1;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	return n == 2 ? (long)resident * sysconf(_SC_PAGESIZE) : -1;
}

struct child_output {
	void (*func)(void *arg);
	void *arg;
	int fd; /* the pipe's write end */
};

static void
child_output_main(void *arg)
{
	const struct child_output *co = arg;

	dup2(co->fd, STDOUT_FILENO);
	dup2(co->fd, STDERR_FILENO);
	co->func(co->arg);
}

int
test_run_in_child_output(void (*func)(void *arg), void *arg, char *out, size_t size,
		int *ended)
{
	struct child_output co = { .func = func, .arg = arg };
	ssize_t n = 0, r;
	int fds[2];

	out[0] = '\0';
	if (pipe(fds) != 0) {
		printf("pipe: %s\n", strerror(errno));
		return -1;
	}
	/* the parent drains the pipe only after the child ended: never let the child block */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	co.fd = fds[1];
	*ended = test_run_in_child(child_output_main, &co);
	close(fds[1]);
	while (n < (ssize_t)size - 1 && (r = read(fds[0], out + n, size - 1 - n)) > 0)
		n += r;
	out[n] = '\0';
	close(fds[0]);
	return 0;
}

int
test_run_self(char *const argv[], char *out, size_t size)
{
	char tail[4096];
	size_t kept = 0;
	int fds[2], status;
	ssize_t r;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(fds[1]);
	/* keep the last bytes of the output, read while the child writes it */
	while ((r = read(fds[0], tail + kept % sizeof(tail), sizeof(tail) - kept % sizeof(tail)))
			!= 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		kept += (size_t)r;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (out != NULL && size > 0) {
		size_t n = RTE_MIN(kept, sizeof(tail));
		size_t i;

		n = RTE_MIN(n, size - 1);
		/* the ring buffer's last n bytes, oldest first */
		for (i = 0; i < n; i++)
			out[i] = tail[(kept - n + i) % sizeof(tail)];
		out[n] = '\0';
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void
test_remove_runtime_dir(const char *prefix)
{
	char base[PATH_MAX], dir[PATH_MAX], path[PATH_MAX * 2];
	struct dirent *e;
	DIR *d;

	snprintf(base, sizeof(base), "%s", rte_eal_get_runtime_dir());
	snprintf(dir, sizeof(dir), "%s/%s", dirname(base), prefix);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void
test_secondary_argv(char **argv, const char *cmd)
{
	static char prefix[PATH_MAX + 16], lcores[RTE_MAX_LCORE * 5 + 32];
	char dir[PATH_MAX], cpus[32];
	unsigned int lcore_id;
	int argc = 0;
	size_t len;

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", basename(dir));
	test_cpuset(cpus, sizeof(cpus), 2);
	len = (size_t)snprintf(lcores, sizeof(lcores), "--lcores=(");
	RTE_LCORE_FOREACH(lcore_id)
		len += (size_t)snprintf(lcores + len, sizeof(lcores) - len, "%s%u",
				lcores[len - 1] == '(' ? "" : ",", lcore_id);
	snprintf(lcores + len, sizeof(lcores) - len, ")@%s", cpus);
	argv[argc++] = (char *)(uintptr_t)"dpdk-test";
	argv[argc++] = (char *)(uintptr_t)"--proc-type=secondary";
	argv[argc++] = prefix;
	argv[argc++] = lcores;
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
	argv[argc++] = (char *)(uintptr_t)cmd;
	argv[argc] = NULL;
}

void
test_cpuset(char *buf, size_t size, unsigned int max_cpus)
{
	int first = -1, last = -1, cpu;
	unsigned int lcore_id;
	rte_cpuset_t set;

	/* the CPUs of every EAL lcore: the main thread's own affinity is one lcore's */
	CPU_ZERO(&set);
	RTE_LCORE_FOREACH(lcore_id) {
		rte_cpuset_t lc = rte_lcore_cpuset(lcore_id);

		CPU_OR(&set, &set, &lc);
	}
	for (cpu = 0; cpu < CPU_SETSIZE && (unsigned int)(last - first + 1) < max_cpus; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (first < 0)
			first = cpu;
		else if (cpu != last + 1)
			break;
		last = cpu;
	}
	if (first < 0)
		first = last = 0;
	snprintf(buf, size, "(%d-%d)", first, last);
}

/* Results of the tests run by one invocation. */
struct tally {
	unsigned int run;
	unsigned int skipped;
	unsigned int failed;
};

static void
run_counted(const char *name, struct tally *tally)
{
	int ret = run_command(name);

	tally->run++;
	if (ret == TEST_SKIPPED)
		tally->skipped++;
	else if (ret != TEST_SUCCESS)
		tally->failed++;
}

int
main(int argc, char **argv)
{
	struct tally tally = { 0 };
	const char *env;
	int ret, i;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "dpdk-test: cannot initialise EAL: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	/* argv[0] is now the last EAL argument (or the program); names follow */
	i = 1;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;

	env = getenv("DPDK_TEST");
	if (env != NULL && env[0] != '\0') {
		char *names = strdup(env), *save = NULL, *name;

		if (names == NULL) {
			fprintf(stderr, "dpdk-test: out of memory\n");
			rte_eal_cleanup();
			return 1;
		}
		for (name = strtok_r(names, ", ", &save); name != NULL;
				name = strtok_r(NULL, ", ", &save))
			run_counted(name, &tally);
		free(names);
	}
	for (; i < argc; i++)
		run_counted(argv[i], &tally);
	if (tally.run == 0)
		list_commands();

	rte_eal_cleanup();

	if (tally.failed > 0)
		return 1;
	if (tally.run > 0 && tally.skipped == tally.run)
		return TEST_SKIPPED;
	return 0;
}
