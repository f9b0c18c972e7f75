"""Benchmark of PDF briefings with real Celery workers and real WeasyPrint.

    .venv/bin/python bench/briefings.py            # filesystem broker, SQLite (no services needed)
    createdb -h 127.0.0.1 -U postgres bench  # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/briefings.py        # the production shape

Prints, for a 60-question assessment: the median and p95 render time in a warm worker, the
median time from request to ready with an idle worker, briefings per minute with 1 and with 2
worker processes, the peak and drift of a worker's memory over 100 renders, and the time to
answer an unchanged re-request from the cache. Uses its own database and queue; it changes
nothing else. It times a fixed pure-Python loop and a fixed plain WeasyPrint render at the start,
after the warm renders and at the end: machines of one kind differ in speed from session to
session (the same briefing has rendered 3x faster on one than another), and one machine's speed
has been seen to change by 2-3x within a run, so read every figure beside those lines."""

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cdr-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["CELERY_QUEUE"] = f"bench-{uuid.uuid4().hex[:8]}"
os.environ["DJANGO_STATIC_MANIFEST"] = "false"
os.environ["DJANGO_SETTINGS_MODULE"] = "citydigital.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Answer, Assessment, CityRegion  # noqa: E402
from assessments.results.services import assessment_score  # noqa: E402
from questionbank.models import Action, Question, QuestionBank, RubricLevel, Theme  # noqa: E402
from reports import services  # noqa: E402
from reports.models import Briefing  # noqa: E402

THEMES = 10
QUESTIONS_PER_THEME = 6
THROUGHPUT_ROUNDS = 3


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def python_reference_seconds() -> float:
    """The best of three runs of a fixed pure-Python loop: a yardstick of the machine."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        runs.append(time.perf_counter() - started)
    return min(runs)


def reference_render_seconds() -> float:
    """The best of three WeasyPrint renders of a fixed plain document (no project template or
    CSS): a yardstick of the machine for this kind of work, which a pure-Python loop is not
    (seen here: the loop steady while the same briefing's render slowed by a third)."""
    import weasyprint

    html = "".join(f"<p>Paragraph {i}: a fixed line of reference text.</p>" for i in range(300))
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        runs.append(time.perf_counter() - started)
    return min(runs)


def machine_speed() -> str:
    return (
        f"reference loop {python_reference_seconds():.2f} s, "
        f"reference render {reference_render_seconds():.2f} s"
    )


def machine_scaling() -> float:
    """How much more pure-Python work the machine does with two processes than with one: the
    ceiling of the two-worker throughput goal (2.0 on two free cores)."""
    loop = (
        "import time\nt = time.perf_counter()\nfor n in range(10_000_000): pass\n"
        "print(time.perf_counter() - t)"
    )

    def run(processes: int) -> float:
        started = [
            subprocess.Popen([sys.executable, "-c", loop], stdout=subprocess.PIPE, text=True)
            for _ in range(processes)
        ]
        return max(float(process.communicate()[0]) for process in started)

    one, two = min(run(1) for _ in range(2)), min(run(2) for _ in range(2))
    return 2 * one / two


def setup_data() -> Assessment:
    from django.contrib.auth import get_user_model

    bank = QuestionBank.objects.create(title="Benchmark bank", version=9000 + os.getpid() % 999)
    for t in range(THEMES):
        theme = Theme.objects.create(
            bank=bank, order=t, slug=f"bench-{t}", title=f"Benchmark theme {t + 1}", weight=10
        )
        for q in range(QUESTIONS_PER_THEME):
            question = Question.objects.create(
                theme=theme,
                order=q,
                code=f"B{t}-{q:02d}",
                text=f"Benchmark question {t + 1}.{q + 1}: is this capability in place and used?",
                guidance="What good looks like, and the evidence to give.",
                milestone_day=30 * (q % 3 + 1),
            )
            for level, score in enumerate((0, 25, 50, 75, 100)):
                RubricLevel.objects.create(
                    question=question,
                    order=level,
                    value=str(level),
                    label=f"Level {level}",
                    description=f"What level {level} looks like.",
                    score=score,
                )
            Action.objects.create(
                question=question,
                text=f"Improve {question.code}.",
                owner_role="cdic",
                day_from=1,
                day_to=30,
            )
    QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).update(
        status=QuestionBank.Status.RETIRED
    )
    QuestionBank.objects.filter(pk=bank.pk).update(status=QuestionBank.Status.PUBLISHED)
    region = CityRegion.objects.create(
        name=f"Benchmark City Region {uuid.uuid4().hex[:6]}",
        slug=f"bench-{uuid.uuid4().hex[:8]}",
        mayor_name="Alex Example",
        mayor_took_office=date(2026, 9, 1),
    )
    user = get_user_model().objects.create(username=f"bench-{uuid.uuid4().hex[:8]}")
    assessment = Assessment.objects.create(
        region=region,
        bank=bank,
        label="Benchmark",
        started_by=user,
        status=Assessment.Status.SUBMITTED,
    )
    for i, question in enumerate(Question.objects.filter(theme__bank=bank)):
        Answer.objects.create(
            assessment=assessment,
            question=question,
            selected_values=[str(i % 5)],
            note="A note with some detail about the evidence held." if i % 2 else "",
            evidence_url="https://example.org/evidence" if i % 3 == 0 else "",
        )
    assessment_score(assessment=assessment, today=timezone.localdate())
    return assessment


def start_worker(concurrency: int, queue: str | None = None) -> subprocess.Popen:
    queue = queue or os.environ["CELERY_QUEUE"]
    log = open(WORK / f"worker-{queue}.log", "wb")  # noqa: SIM115 (lives as long as the worker)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "citydigital",
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            f"bench-{concurrency}@%h",
        ],
        cwd=ROOT,
        env=os.environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    time.sleep(6)  # the worker imports Django and WeasyPrint before it takes jobs
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def briefings_per_minute(assessment: Assessment, *, count: int, queue: str) -> float:
    from reports.tasks import briefing_render_task

    batch = [fresh_briefing(assessment) for _ in range(count)]
    started = time.time()
    for briefing in batch:
        briefing_render_task.apply_async((briefing.pk,), queue=queue)
    return count / (wait_ready([b.pk for b in batch]) - started) * 60


def fresh_briefing(assessment: Assessment) -> Briefing:
    # A distinct hash per row: the bench measures rendering, not the cache.
    return Briefing.objects.create(assessment=assessment, content_hash=uuid.uuid4().hex * 2)


def wait_ready(ids: list[int], timeout: float = 600) -> float:
    """Wait until the briefings are ready; return the seconds since the epoch when the last
    became ready (its rendered_at). Polls only every 0.1 s: measured, polling every 5 ms took
    enough of this 2-core machine to slow the render it measures by a fifth."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = Briefing.objects.filter(pk__in=ids).exclude(status__in=["ready", "failed"])
        if not pending.exists():
            failed = Briefing.objects.filter(pk__in=ids, status="failed")
            if failed.exists():
                raise SystemExit(f"failed: {failed.first().failure_reason}")
            last = Briefing.objects.filter(pk__in=ids).latest("rendered_at").rendered_at
            return last.timestamp()
        time.sleep(0.1)
    raise SystemExit("timed out")


def child_rss_kib(pid: int) -> int:
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != pid:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return total


def main() -> None:
    print(f"python {sys.version.split()[0]} ({sys.executable}), {machine_speed()}")
    call_command("migrate", verbosity=0)
    assessment = setup_data()
    broker = "redis" if os.environ.get("REDIS_URL") else "filesystem"
    questions = THEMES * QUESTIONS_PER_THEME
    print(f"database: {connection.vendor}, broker: {broker}, questions: {questions}")

    worker = start_worker(concurrency=1)
    try:
        # Warm up, then the warm render time (measured inside the worker, stored on the row).
        warm = [fresh_briefing(assessment) for _ in range(3)]
        for briefing in warm:
            services.briefing_enqueue(briefing_id=briefing.pk)
        wait_ready([b.pk for b in warm])
        render_times, ready_latency = [], []
        for _ in range(15):
            briefing = fresh_briefing(assessment)
            started = time.time()
            services.briefing_enqueue(briefing_id=briefing.pk)
            ready_latency.append(wait_ready([briefing.pk]) - started)
            briefing.refresh_from_db()
            render_times.append(briefing.render_seconds)
        pages = briefing.page_count
        print(f"pages per briefing: {pages}")
        print(
            f"warm render: median {statistics.median(render_times):.3f} s, "
            f"p95 {percentile(render_times, 0.95):.3f} s"
        )
        overhead = statistics.median(ready_latency) - statistics.median(render_times)
        print(
            f"request to ready (idle worker): median {statistics.median(ready_latency):.3f} s "
            f"(overhead over render {overhead:.3f} s)"
        )
        print(f"machine after the warm renders: {machine_speed()}")

        # Memory of the pool process over 100 renders.
        batch = [fresh_briefing(assessment) for _ in range(100)]
        samples = []
        for index, briefing in enumerate(batch, 1):
            services.briefing_enqueue(briefing_id=briefing.pk)
            wait_ready([briefing.pk])
            if index in (10, 100) or index % 10 == 0:
                samples.append((index, child_rss_kib(worker.pid) / 1024))
        after_10 = samples[0][1]
        after_100 = samples[-1][1]
        print(
            f"worker memory over 100 renders: peak {max(m for _, m in samples):.0f} MB, "
            f"after 10 {after_10:.0f} MB, after 100 {after_100:.0f} MB, "
            f"drift {100 * (after_100 - after_10) / after_10:+.1f} %"
        )
    finally:
        stop_worker(worker)

    # Throughput: one worker process against two, each a worker of its own on a queue of its
    # own, started and warmed alike (a pool process's first renders are slower, and one is
    # replaced after CELERY_WORKER_MAX_TASKS_PER_CHILD jobs), in alternating rounds, so that a
    # change in the machine's speed during the run weighs on both alike; beside each round,
    # what the machine itself does with two processes.
    queues = {n: f"{os.environ['CELERY_QUEUE']}-{n}" for n in (1, 2)}
    workers = {n: start_worker(concurrency=n, queue=queues[n]) for n in (1, 2)}
    try:
        for n in (1, 2):
            briefings_per_minute(assessment, count=3 * n, queue=queues[n])
        rounds = []
        for _ in range(THROUGHPUT_ROUNDS):
            one = briefings_per_minute(assessment, count=12, queue=queues[1])
            two = briefings_per_minute(assessment, count=24, queue=queues[2])
            rounds.append((one, two, machine_scaling()))
    finally:
        for process in workers.values():
            stop_worker(process)
    for one, two, machine in rounds:
        print(
            f"briefings per minute: 1 worker process {one:.1f}, 2 worker processes {two:.1f} "
            f"({two / one:.2f}x; the machine itself does {machine:.2f}x the work with 2 processes)"
        )
    ratio = statistics.median(two / one for one, two, _ in rounds)
    print(f"2 worker processes against 1, median of {len(rounds)} rounds: {ratio:.2f}x")

    # An unchanged re-request is answered from the cache.
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.first()
    first = services.briefing_request(assessment=assessment, requested_by=user)
    services.briefing_render(briefing_id=first.briefing.pk)
    # As the worker does after each render (reports.tasks); a web process never renders.
    gc.collect()
    cached = []
    for _ in range(20):
        started = time.perf_counter()
        again = services.briefing_request(assessment=assessment, requested_by=user)
        cached.append(time.perf_counter() - started)
        if not again.reused:
            raise SystemExit("an unchanged re-request was not answered from the cache")
    median_ms = 1000 * statistics.median(cached)
    print(f"unchanged re-request from the cache: median {median_ms:.1f} ms")
    print(f"machine at the end: {machine_speed()}")


if __name__ == "__main__":
    main()
