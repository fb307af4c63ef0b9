/* bench_mqtt_pub: people counters at a given rate, for run-sources-bench.sh.
 * Publishes COUNT Irisys live-counts messages (QoS 1) spread over DEVICES
 * topics (irisys/dev-N/live_counts) at RATE messages per second, each a
 * register total one higher than the device's last, then waits until the
 * broker has acknowledged every one. Prints what it sent and how fast.
 * usage: bench_mqtt_pub HOST PORT USER PASSWORD COUNT RATE DEVICES */
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Atomic long acked; /* counted on the client's thread */

static void on_publish(struct mosquitto *m, void *ctx, int mid)
{
	(void)m, (void)ctx, (void)mid;
	acked++;
}

int main(int argc, char **argv)
{
	if (argc != 8) {
		fputs("usage: bench_mqtt_pub HOST PORT USER PASSWORD COUNT RATE DEVICES\n", stderr);
		return 2;
	}
	long count = strtol(argv[5], NULL, 10), rate = strtol(argv[6], NULL, 10),
	     devices = strtol(argv[7], NULL, 10), port = strtol(argv[2], NULL, 10);
	if (count < 1 || rate < 1 || devices < 1 || port < 1 || port > 65535)
		return 2;
	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(NULL, true, NULL);
	mosquitto_username_pw_set(m, argv[3], argv[4]);
	mosquitto_publish_callback_set(m, on_publish);
	mosquitto_max_inflight_messages_set(m, 1000);
	if (mosquitto_connect(m, argv[1], (int)port, 30) != MOSQ_ERR_SUCCESS) {
		fputs("bench_mqtt_pub: cannot connect to the broker\n", stderr);
		return 1;
	}
	mosquitto_loop_start(m);
	long *totals = calloc((size_t)devices, sizeof(*totals));
	double start = now_s();
	for (long i = 0; i < count; i++) {
		double due = start + (double)i / (double)rate;
		while (now_s() < due) {
			struct timespec nap = {0, 200000};
			nanosleep(&nap, NULL);
		}
		long d = i % devices;
		char topic[64], payload[128];
		snprintf(topic, sizeof(topic), "irisys/dev-%ld/live_counts", d);
		int n = snprintf(payload, sizeof(payload),
				 "{\"counts\":[{\"name\":\"In\",\"count\":%ld}]}", ++totals[d]);
		while (mosquitto_publish(m, NULL, topic, n, payload, 1, false) ==
		       MOSQ_ERR_OVERSIZE_PACKET)
			;
	}
	double sent = now_s() - start;
	while (acked < count && now_s() - start < sent + 30) {
		struct timespec nap = {0, 1000000};
		nanosleep(&nap, NULL);
	}
	printf("published %ld messages in %.2f s (%.0f/s), %ld acknowledged by the broker\n", count,
	       sent, (double)count / sent, acked);
	mosquitto_disconnect(m);
	mosquitto_loop_stop(m, false);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	free(totals);
	return acked == count ? 0 : 1;
}
