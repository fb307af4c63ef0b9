/* job_pool: a mutex, two queues (waiting, done) and an eventfd. */
#include "job_pool.h"

#include "gzip.h"
#include "store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct item {
	struct api_job *job;
	void *tag;
	bool gzip; /* asked for; true after it, when compressed */
	struct api_response res;
	struct item *next;
};

struct job_pool {
	pthread_mutex_t lock;
	pthread_cond_t work, idle;
	struct item *waiting, *waiting_tail, *done, *done_tail;
	size_t n_waiting, max_waiting, in_flight, running;
	bool stopping;
	int fd;
	unsigned n_threads;
	pthread_t threads[8];
	struct store *readers[8];
};

struct worker {
	struct job_pool *p;
	unsigned i;
};

static void *work(void *arg)
{
	struct job_pool *p = ((struct worker *)arg)->p;
	unsigned i = ((struct worker *)arg)->i;
	free(arg);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->waiting && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		if (!p->waiting)
			break;
		struct item *it = p->waiting;
		p->waiting = it->next;
		if (!p->waiting)
			p->waiting_tail = NULL;
		p->n_waiting--;
		p->running++;
		pthread_mutex_unlock(&p->lock);
		api_job_run(it->job, p->readers[i], &it->res);
		it->job = NULL;
		/* compressed here too: a day of samples is megabytes */
		size_t zl;
		char *z = it->gzip && it->res.body && it->res.body_len > 1024
				  ? gzip_compress(it->res.body, it->res.body_len, &zl)
				  : NULL;
		if (z) {
			free(it->res.body);
			it->res.body = z;
			it->res.body_len = zl;
		}
		it->gzip = z != NULL;
		it->next = NULL;
		pthread_mutex_lock(&p->lock);
		p->running--;
		if (p->done_tail)
			p->done_tail->next = it;
		else
			p->done = it;
		p->done_tail = it;
		uint64_t one = 1;
		if (write(p->fd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow here; nothing to do */
		}
		if (!p->waiting && !p->running)
			pthread_cond_broadcast(&p->idle);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct job_pool *job_pool_create(unsigned workers, size_t max_waiting, const char *db_path,
				 struct feed_error *e)
{
	struct job_pool *p = calloc(1, sizeof(*p));
	if (!p) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	if (workers == 0 || workers > sizeof(p->threads) / sizeof(*p->threads))
		workers = 2;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
	p->max_waiting = max_waiting;
	p->fd = -1;
	p->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->fd < 0) {
		feed_error_set(e, "eventfd failed");
		goto fail;
	}
	for (unsigned i = 0; i < workers; i++) {
		if (!(p->readers[i] = store_open_reader(db_path, e)))
			goto fail;
		struct worker *w = malloc(sizeof(*w));
		if (w)
			*w = (struct worker){p, i};
		if (!w || pthread_create(&p->threads[i], NULL, work, w) != 0) {
			free(w);
			feed_error_set(e, "cannot start a worker thread");
			goto fail;
		}
		p->n_threads++;
	}
	return p;
fail:
	job_pool_destroy(p);
	return NULL;
}

void job_pool_drain(struct job_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->waiting || p->running)
		pthread_cond_wait(&p->idle, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

void job_pool_destroy(struct job_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	for (struct item *it = p->done, *next; it; it = next) {
		next = it->next;
		api_response_finish(&it->res);
		free(it);
	}
	for (size_t i = 0; i < sizeof(p->readers) / sizeof(*p->readers); i++)
		store_close(p->readers[i]);
	if (p->fd >= 0)
		close(p->fd);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

bool job_pool_submit(struct job_pool *p, struct api_job *job, void *tag, bool gzip)
{
	struct item *it = calloc(1, sizeof(*it));
	if (!it)
		return false;
	it->job = job;
	it->tag = tag;
	it->gzip = gzip;
	pthread_mutex_lock(&p->lock);
	bool ok = p->n_waiting < p->max_waiting && !p->stopping;
	if (ok) {
		if (p->waiting_tail)
			p->waiting_tail->next = it;
		else
			p->waiting = it;
		p->waiting_tail = it;
		p->n_waiting++;
		p->in_flight++;
		pthread_cond_signal(&p->work);
	}
	pthread_mutex_unlock(&p->lock);
	if (!ok)
		free(it);
	return ok;
}

int job_pool_fd(const struct job_pool *p)
{
	return p->fd;
}

bool job_pool_take(struct job_pool *p, void **tag, struct api_response *res, bool *gzipped)
{
	uint64_t count;
	pthread_mutex_lock(&p->lock);
	struct item *it = p->done;
	if (it) {
		p->done = it->next;
		if (!p->done)
			p->done_tail = NULL;
		p->in_flight--;
	} else if (read(p->fd, &count, sizeof(count)) < 0) {
		/* nothing was pending: the counter is clear either way */
	}
	pthread_mutex_unlock(&p->lock);
	if (!it)
		return false;
	*tag = it->tag;
	*res = it->res;
	*gzipped = it->gzip;
	free(it);
	return true;
}

size_t job_pool_in_flight(struct job_pool *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->in_flight;
	pthread_mutex_unlock(&p->lock);
	return n;
}
