/* heartbeat: its own small curl multi handle, moved along once per loop
 * iteration (a heartbeat a second late matters to no one). */
#include "heartbeat.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct heartbeat {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	bool in_flight;
	char *answer; /* what the server said: HEARTBEAT_MAX_ANSWER + 1 bytes */
	size_t answer_len;
	bool answer_over;
	char url[2048];
	char errbuf[CURL_ERROR_SIZE];
};

/* Into the buffer made at creation: an answer past it is cut off, not kept. */
static size_t on_answer(char *p, size_t size, size_t n, void *ud)
{
	struct heartbeat *hb = ud;
	size_t len = size * n;
	if (hb->answer_over || len > HEARTBEAT_MAX_ANSWER - hb->answer_len) {
		hb->answer_over = true;
		return 0; /* read no further: the post itself went through */
	}
	memcpy(hb->answer + hb->answer_len, p, len);
	hb->answer_len += len;
	hb->answer[hb->answer_len] = '\0';
	return len;
}

struct heartbeat *heartbeat_create(const char *url, const char *token, const char *ca_file)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	struct heartbeat *hb = calloc(1, sizeof(*hb));
	char auth[300];
	if (!hb || strlen(url) >= sizeof(hb->url) ||
	    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token) >= (int)sizeof(auth))
		goto fail;
	memcpy(hb->url, url, strlen(url) + 1);
	hb->answer = malloc(HEARTBEAT_MAX_ANSWER + 1);
	hb->multi = curl_multi_init();
	hb->easy = curl_easy_init();
	hb->headers = curl_slist_append(NULL, auth);
	hb->headers = hb->headers ? curl_slist_append(hb->headers, "Content-Type: application/json")
				  : NULL;
	if (!hb->multi || !hb->easy || !hb->headers || !hb->answer)
		goto fail;
	curl_easy_setopt(hb->easy, CURLOPT_URL, hb->url);
	curl_easy_setopt(hb->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(hb->easy, CURLOPT_HTTPHEADER, hb->headers);
	curl_easy_setopt(hb->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(hb->easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(hb->easy, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(hb->easy, CURLOPT_ERRORBUFFER, hb->errbuf);
	curl_easy_setopt(hb->easy, CURLOPT_USERAGENT, "venueboard");
	curl_easy_setopt(hb->easy, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(hb->easy, CURLOPT_WRITEDATA, hb);
	if (ca_file)
		curl_easy_setopt(hb->easy, CURLOPT_CAINFO, ca_file);
	return hb;
fail:
	heartbeat_destroy(hb);
	if (!hb)
		curl_global_cleanup();
	return NULL;
}

void heartbeat_destroy(struct heartbeat *hb)
{
	if (!hb)
		return;
	if (hb->in_flight)
		curl_multi_remove_handle(hb->multi, hb->easy);
	curl_easy_cleanup(hb->easy);
	curl_multi_cleanup(hb->multi);
	curl_slist_free_all(hb->headers);
	free(hb->body);
	free(hb->answer);
	free(hb);
	curl_global_cleanup();
}

bool heartbeat_send(struct heartbeat *hb, const char *json)
{
	if (hb->in_flight)
		return false;
	free(hb->body);
	hb->body = strdup(json);
	if (!hb->body)
		return false;
	hb->errbuf[0] = '\0';
	hb->answer_len = 0;
	hb->answer_over = false;
	curl_easy_setopt(hb->easy, CURLOPT_POSTFIELDS, hb->body);
	curl_easy_setopt(hb->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(hb->body));
	if (curl_multi_add_handle(hb->multi, hb->easy) != CURLM_OK)
		return false;
	hb->in_flight = true;
	int running;
	curl_multi_perform(hb->multi, &running); /* on its way now, not at the next poll */
	return true;
}

bool heartbeat_busy(const struct heartbeat *hb)
{
	return hb->in_flight;
}

bool heartbeat_poll(struct heartbeat *hb, long *status, char *err, size_t err_cap)
{
	if (!hb->in_flight)
		return false;
	int running = 0, left = 0;
	curl_multi_perform(hb->multi, &running);
	CURLMsg *m;
	while ((m = curl_multi_info_read(hb->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		CURLcode rc = m->data.result;
		*status = 0;
		curl_easy_getinfo(hb->easy, CURLINFO_RESPONSE_CODE, status);
		curl_multi_remove_handle(hb->multi, hb->easy);
		hb->in_flight = false;
		if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && hb->answer_over))
			snprintf(err, err_cap, "%s",
				 hb->errbuf[0] ? hb->errbuf : curl_easy_strerror(rc));
		else if (*status < 200 || *status >= 300)
			snprintf(err, err_cap, "HTTP %ld", *status);
		else
			err[0] = '\0';
		if (err[0] || hb->answer_over)
			hb->answer_len = 0;
		return true;
	}
	return false;
}

const char *heartbeat_answer(const struct heartbeat *hb, size_t *len)
{
	*len = hb->answer_len;
	return hb->answer_len ? hb->answer : "";
}

bool heartbeat_answer_over(const struct heartbeat *hb)
{
	return hb->answer_over;
}
