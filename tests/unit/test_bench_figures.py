"""The arithmetic behind the vote-day benchmark's figures (``bench/vote_day.py``): the
benchmark itself needs gunicorn and PostgreSQL and minutes of a quiet machine, so it is run by
hand; what it prints must still be computed right."""

from bench.vote_day import Tally, generator_share, percentiles, rate, spread


def test_percentiles_are_the_median_and_the_95th_and_99th():
    values = [float(ms) for ms in range(1, 101)]  # 1 ms .. 100 ms
    p50, p95, p99 = percentiles(values)
    assert p50 == 50.5
    assert round(p95, 2) == 95.05 and round(p99, 2) == 99.01
    assert percentiles([7.0]) == (7.0, 7.0, 7.0)
    assert percentiles([]) == (0.0, 0.0, 0.0)


def test_rate_counts_answers_that_succeeded_between_the_first_and_the_last():
    # (step, ok, ms, finished at): 5 good answers over 2 seconds, 1 error not counted.
    timings = [("ballot", True, 1.0, 100.0 + 0.5 * i) for i in range(5)]
    timings.append(("ballot", False, 1.0, 100.7))
    assert rate(timings) == 2.0
    assert rate(timings[:1]) == 0.0


def test_voters_are_dealt_out_so_no_voter_is_used_twice():
    dealt = spread(list(range(10)), [0, 1, 2])
    assert dealt == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert sorted(v for slot in dealt for v in slot) == list(range(10))


def test_the_load_generators_share_is_of_every_core():
    import os

    cores = os.cpu_count() or 1
    tally = Tally(cpu=0.5 * cores, wall=2.0)  # half a second of CPU per core over 2 s
    assert generator_share(tally) == "the load generator used 25% of the machine's CPU"
    assert generator_share(Tally()) == "the load generator used 0% of the machine's CPU"
