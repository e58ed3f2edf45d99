/*
 * The floor for one /proc scan: what a minimal C reader pays to read the same
 * two files per process that proctop's sampler reads on every tick (stat and
 * statm). opendir /proc; for each numeric entry openat/read/close stat and
 * statm into a stack buffer; pull a few fields out; nothing else.
 *
 * Usage: floor [scans]   (default 20; one unmeasured warm-up scan first)
 * Prints one JSON line: {"scans":20,"procs":N,"wallMs":[...],"userMs":[...],"sysMs":[...],"checksum":K}
 * wallMs from CLOCK_MONOTONIC, userMs/sysMs from getrusage(RUSAGE_SELF) around each scan.
 * Built by bench/bench.ts with `cc -O2`.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAX_SCANS 1000

static unsigned long long checksum;

/* Skips `n` space-separated fields starting at p; returns the start of the next one. */
static const char *skip_fields(const char *p, int n) {
  while (n-- > 0 && *p) {
    while (*p && *p != ' ') p++;
    while (*p == ' ') p++;
  }
  return p;
}

static unsigned long long number(const char **pp) {
  const char *p = *pp;
  unsigned long long v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (unsigned long long)(*p++ - '0');
  while (*p == ' ') p++;
  *pp = p;
  return v;
}

static ssize_t read_file(int dirfd, const char *name, char *buf, size_t size) {
  int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = '\0';
  return n;
}

/* One scan; returns the number of processes read. */
static long scan(void) {
  DIR *dir = opendir("/proc");
  if (!dir) {
    perror("opendir /proc");
    exit(1);
  }
  int dfd = dirfd(dir);
  char path[288]; /* d_name is at most 255 bytes */
  char buf[4096];
  long count = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "%s/stat", e->d_name);
    if (read_file(dfd, path, buf, sizeof buf) <= 0) continue; /* vanished */
    const char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ') continue;
    p += 2;                        /* field 3: state */
    char state = *p;
    p = skip_fields(p, 11);        /* field 14: utime */
    unsigned long long utime = number(&p);
    unsigned long long stime = number(&p);
    p = skip_fields(p, 6);         /* field 22: starttime */
    unsigned long long start = number(&p);
    unsigned long long vsize = number(&p);
    unsigned long long rss = number(&p);
    snprintf(path, sizeof path, "%s/statm", e->d_name);
    unsigned long long shared = 0;
    if (read_file(dfd, path, buf, sizeof buf) > 0) {
      const char *q = buf;
      (void)number(&q);
      (void)number(&q);
      shared = number(&q);
    }
    checksum += (unsigned long long)state + utime + stime + start + vsize + rss + shared;
    count++;
  }
  closedir(dir);
  return count;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv) {
  return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

int main(int argc, char **argv) {
  int scans = argc > 1 ? atoi(argv[1]) : 20;
  if (scans < 1 || scans > MAX_SCANS) {
    fprintf(stderr, "floor: scans must be 1..%d\n", MAX_SCANS);
    return 2;
  }
  static double wall[MAX_SCANS], user[MAX_SCANS], sys[MAX_SCANS];
  struct rusage r0, r1;
  long procs = scan(); /* warm-up: dentries and inodes of /proc/PID now cached, as for the sampler */
  for (int i = 0; i < scans; i++) {
    double w0 = now_ms();
    getrusage(RUSAGE_SELF, &r0);
    procs = scan();
    getrusage(RUSAGE_SELF, &r1);
    wall[i] = now_ms() - w0;
    user[i] = tv_ms(r1.ru_utime) - tv_ms(r0.ru_utime);
    sys[i] = tv_ms(r1.ru_stime) - tv_ms(r0.ru_stime);
  }
  printf("{\"scans\":%d,\"procs\":%ld,\"wallMs\":[", scans, procs);
  for (int i = 0; i < scans; i++) printf("%s%.4f", i ? "," : "", wall[i]);
  printf("],\"userMs\":[");
  for (int i = 0; i < scans; i++) printf("%s%.4f", i ? "," : "", user[i]);
  printf("],\"sysMs\":[");
  for (int i = 0; i < scans; i++) printf("%s%.4f", i ? "," : "", sys[i]);
  printf("],\"checksum\":%llu}\n", checksum);
  return 0;
}
