#!/usr/bin/env bash
# venueboard-feed as scripts use it: output shapes (contracts §3, §4) and
# exit codes (§5). Args: TOOL DATA_DIR SHARED_FEEDS_DIR DEMO_DIR
set -u
tool=$1 data=$2 shared=$3 demo=$4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() { # name, expected exit, actual exit
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1 (exit $3, want $2)"; fi
}
expect() { # name, then a command that must succeed
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
run() { "$tool" "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

# usage errors: 2
check "no arguments" 2 "$(run)"
check "unknown command" 2 "$(run frobnicate x)"
check "parse with two files" 2 "$(run parse a b)"
check "diff with one file" 2 "$(run diff a)"
check "unknown option" 2 "$(run parse --colour x)"
check "unknown zone" 2 "$(run parse --timezone Europe/Atlantis "$demo/paris-2014.schedule.json")"
expect "unknown zone is named" grep -q "Europe/Atlantis" "$tmp/err"
check "help" 0 "$(run --help)"

# I/O failures: 3
check "missing file" 3 "$(run parse "$tmp/nope.json")"
expect "missing file is named" grep -q "nope.json" "$tmp/err"
check "a directory" 3 "$(run parse "$tmp")"
if [ -w /dev/full ]; then
  "$tool" parse "$demo/paris-2014.schedule.json" >/dev/full 2>"$tmp/err"
  check "output to a full disk" 3 "$?"
fi

# invalid input: 1, with the file and the place named
printf '{"schedule":{"conference":{"days":[{"date":"2014-11-04","rooms":{"A":[{"id":1,"title":"x","date":"2014-11-04T09:00:00+01:00","duration":"1h"}]}}]}}}' >"$tmp/bad.json"
check "bad duration" 1 "$(run parse "$tmp/bad.json")"
expect "bad duration names file and field" grep -q 'bad.json: .*rooms\["A"\]\[0\].duration' "$tmp/err"
head -c 2000 "$demo/paris-2014.schedule.json" >"$tmp/cut.json"
check "truncated feed" 1 "$(run parse "$tmp/cut.json")"
expect "truncated feed names a line" grep -q 'cut.json: line [0-9]*' "$tmp/err"
: >"$tmp/empty.json"
check "empty feed" 1 "$(run parse "$tmp/empty.json")"

# the demo conference: parse, read back, diff
check "parse demo" 0 "$(run parse "$demo/paris-2014.schedule.json")"
cp "$tmp/out" "$tmp/v1.json"
expect "demo output is the normalized format" python3 - "$tmp/v1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "venueboard.schedule/1"
assert d["conference"]["timezone"] == "Europe/Paris"
assert len(d["sessions"]) >= 100, len(d["sessions"])
rooms = {r["id"] for r in d["rooms"]}
for s in d["sessions"]:
    assert s["room"] in rooms and s["status"] in ("scheduled", "cancelled")
    assert s["start"].endswith("Z") and len(s["start"]) == 20 and s["end"] >= s["start"]
PY
check "parse from stdin" 0 "$("$tool" parse - <"$demo/paris-2014.schedule.json" >"$tmp/stdin.json" 2>/dev/null; echo $?)"
expect "stdin gives the same output" cmp -s "$tmp/stdin.json" "$tmp/v1.json"
check "read back our own output" 0 "$(run parse "$tmp/v1.json")"
expect "round trip keeps every session" python3 - "$tmp/v1.json" "$tmp/out" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["sessions"] == b["sessions"] and a["rooms"] == b["rooms"]
PY
check "diff demo versions" 0 "$(run diff "$demo/paris-2014.schedule.json" "$demo/paris-2014-v2.schedule.json")"
expect "demo changes are the expected ones" python3 - "$tmp/out" "$data/demo-changes.json" <<'PY'
import json, sys
got, want = (json.load(open(p)) for p in sys.argv[1:3])
assert got == want, json.dumps(got, indent=1, ensure_ascii=False)
PY
check "diff unchanged" 0 "$(run diff "$demo/paris-2014.schedule.json" "$demo/paris-2014.schedule.json")"
expect "unchanged gives an empty list" python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == {"changes": []}' "$tmp/out"

# lunch lines: simulate (reproducible) and estimate (contracts sections 1, 2)
check "simulate" 0 "$("$tool" simulate --scenario noisy --seed 5 --truth "$tmp/truth.jsonl" >"$tmp/samples.jsonl" 2>"$tmp/err"; echo $?)"
check "simulate again" 0 "$("$tool" simulate --scenario noisy --seed 5 >"$tmp/samples2.jsonl" 2>/dev/null; echo $?)"
expect "simulation is reproducible" cmp -s "$tmp/samples.jsonl" "$tmp/samples2.jsonl"
check "unknown scenario" 2 "$(run simulate --scenario picnic)"
# a conference's days, people coming from its schedule
check "conference without a schedule" 2 "$(run simulate --scenario conference)"
check "conference, schedule missing" 3 "$(run simulate --scenario conference --schedule "$tmp/nope.json")"
check "conference, more days than it has" 2 "$(run simulate --scenario conference --schedule "$demo/paris-2014.schedule.json" --days 5)"
check "days for one period" 2 "$(run simulate --scenario clean --days 2)"
check "conference" 0 "$("$tool" simulate --scenario conference-rooms --schedule "$demo/paris-2014.schedule.json" --days 2 --seed 4 --truth "$tmp/ctruth.jsonl" >"$tmp/conf.jsonl" 2>"$tmp/err"; echo $?)"
check "conference again" 0 "$("$tool" simulate --scenario conference-rooms --schedule "$demo/paris-2014.schedule.json" --days 2 --seed 4 >"$tmp/conf2.jsonl" 2>/dev/null; echo $?)"
expect "conference is reproducible" cmp -s "$tmp/conf.jsonl" "$tmp/conf2.jsonl"
expect "conference: two days, rooms, people" python3 - "$tmp/conf.jsonl" "$tmp/ctruth.jsonl" <<'PY'
import json, sys
samples = [json.loads(l) for l in open(sys.argv[1])]
truth = [json.loads(l) for l in open(sys.argv[2])]
assert sum(s["type"] == "queue" for s in samples) == 2
assert any(s["type"] == "room" for s in samples)
assert {t["enter"][:10] for t in truth} == {"2014-11-03", "2014-11-04"}
PY
check "estimate a conference" 0 "$(run estimate "$tmp/conf.jsonl")"
# a family that changes the last day's programme writes it with --published
check "lunch later, published" 0 "$(run simulate --scenario conference-lunch-later --schedule "$demo/paris-2014.schedule.json" --seed 4 --published "$tmp/published.json")"
check "the published programme reads" 0 "$("$tool" parse "$tmp/published.json" >"$tmp/published.norm" 2>/dev/null; echo $?)"
expect "the published programme: the last day's lunch 30 minutes later, the others as before" python3 - "$tmp/published.norm" "$tmp/v1.json" <<'PY'
import json, sys
def lunches(path):
    return sorted(s["start"] for s in json.load(open(path))["sessions"] if "Lunch" in s["title"])
new, old = lunches(sys.argv[1]), lunches(sys.argv[2])
assert len(new) == len(old) and new[:-1] == old[:-1], (new, old)
# 12:30 in Paris is 11:30Z; 30 minutes later
assert old[-1].endswith("T11:30:00Z") and new[-1].endswith("T12:00:00Z"), (new[-1], old[-1])
PY
check "the published programme needs a conference scenario" 2 "$(run simulate --scenario clean --published "$tmp/p.json")"
check "estimate" 0 "$(run estimate "$tmp/samples.jsonl")"
cp "$tmp/out" "$tmp/est.jsonl"
expect "estimates follow the contract" python3 - "$tmp/samples.jsonl" "$tmp/est.jsonl" "$tmp/truth.jsonl" <<'PY'
import json, sys, datetime
samples = [json.loads(l) for l in open(sys.argv[1])]
est = [json.loads(l) for l in open(sys.argv[2])]
truth = [json.loads(l) for l in open(sys.argv[3])]
assert samples[0]["type"] == "queue" and len(truth) > 300
ts = lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
assert len(est) > 250
prev = 0
for e in est:
    assert list(e) == ["t", "queue", "wait_s", "people", "confidence"], list(e)
    t = ts(e["t"]); assert t % 30 == 0 and t >= prev; prev = t
    assert e["confidence"] in ("good", "degraded", "none")
    assert (e["wait_s"] is None) == (e["confidence"] == "none")
    assert e["wait_s"] is None or (isinstance(e["wait_s"], int) and e["wait_s"] >= 0)
# the exit counter's outage (35-45 min in) is told, not hidden
start = ts(est[0]["t"])
mid = [e for e in est if 37 * 60 <= ts(e["t"]) - start + 30 <= 44 * 60]
assert mid and all(e["confidence"] == "degraded" for e in mid), mid[:2]
PY
check "estimate every 60 s" 0 "$(run estimate --every 60 - <"$tmp/samples.jsonl")"
expect "ticks every 60 s" python3 -c '
import json, sys, datetime
for l in open(sys.argv[1]):
    t = datetime.datetime.fromisoformat(json.loads(l)["t"].replace("Z", "+00:00")).timestamp()
    assert t % 60 == 0' "$tmp/out"
# causal: cutting the input changes no estimate made well before the cut
head -n 900 "$tmp/samples.jsonl" >"$tmp/prefix.jsonl"
check "estimate a prefix" 0 "$(run estimate "$tmp/prefix.jsonl")"
expect "estimates use only earlier samples" python3 - "$tmp/prefix.jsonl" "$tmp/out" "$tmp/est.jsonl" <<'PY'
import json, sys, datetime
ts = lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
cut = min(ts(json.loads(l)["t"]) for l in open(sys.argv[1]).readlines()[-20:] if "\"t\"" in l)
part = [json.loads(l) for l in open(sys.argv[2])]
full = {json.loads(l)["t"]: json.loads(l) for l in open(sys.argv[3])}
early = [e for e in part if ts(e["t"]) <= cut - 30]
assert len(early) > 100
for e in early:
    assert full[e["t"]] == e, (e, full[e["t"]])
PY
printf '{"type":"queue","queue":"q","stations":2,"service_s":30}\n{"type":"weather","queue":"q"}\n{"type":"count","queue":"q","sensor":"a","role":"entry","t":"2014-11-06T11:00:00Z","total":1}\n' >"$tmp/unknown.jsonl"
check "unknown sample type is skipped" 0 "$(run estimate "$tmp/unknown.jsonl")"
expect "skipped type is named" grep -q "unknown.jsonl:2: warning: .*weather" "$tmp/err"
printf '{"type":"queue","queue":"q","stations":2,"service_s":30}\n{"type":"count","queue":"q","sensor":"a","role":"entry","t":"yesterday","total":1}\n' >"$tmp/bad.jsonl"
check "bad sample line" 1 "$(run estimate "$tmp/bad.jsonl")"
expect "bad sample names file, line and field" grep -q "bad.jsonl:2: t:" "$tmp/err"
check "estimate --every 0" 2 "$(run estimate --every 0 "$tmp/bad.jsonl")"
check "estimate a missing file" 3 "$(run estimate "$tmp/none.jsonl")"

# forecast (contracts §6): usage, refusals, the line shape, causality
check "forecast without a schedule" 2 "$(run forecast "$tmp/conf.jsonl")"
check "forecast, bad horizon" 2 "$(run forecast --schedule "$demo/paris-2014.schedule.json" --horizon 0 "$tmp/conf.jsonl")"
check "forecast, bad every" 2 "$(run forecast --schedule "$demo/paris-2014.schedule.json" --every 5s "$tmp/conf.jsonl")"
check "forecast, two files" 2 "$(run forecast --schedule "$demo/paris-2014.schedule.json" "$tmp/conf.jsonl" "$tmp/conf2.jsonl")"
check "forecast, schedule missing" 3 "$(run forecast --schedule "$tmp/nope.json" "$tmp/conf.jsonl")"
check "forecast, samples missing" 3 "$(run forecast --schedule "$demo/paris-2014.schedule.json" "$tmp/none.jsonl")"
printf '{"type":"count","queue":"q","sensor":"a","role":"entry","t":"2014-11-06T11:00:00Z","total":-3}\n' >"$tmp/badsample.jsonl"
check "forecast, a bad sample" 1 "$(run forecast --schedule "$demo/paris-2014.schedule.json" "$tmp/badsample.jsonl")"
expect "the bad sample is named" grep -q "badsample.jsonl:1: total" "$tmp/err"
"$tool" simulate --scenario conference --schedule "$demo/paris-2014.schedule.json" --days 3 --seed 2 >"$tmp/three.jsonl" 2>/dev/null
check "forecast three days" 0 "$(run forecast --schedule "$demo/paris-2014.schedule.json" --horizon 20 --horizon 45 "$tmp/three.jsonl")"
cp "$tmp/out" "$tmp/fc.jsonl"
expect "forecast lines as contracts §6" python3 - "$tmp/fc.jsonl" <<'PY'
import json, sys
from datetime import datetime, timedelta
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) > 100, len(lines)
iso = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
for x in lines:
    assert list(x) == ["t", "queue", "at", "wait_s", "low_s", "high_s"], x
    t, at = iso(x["t"]), iso(x["at"])
    assert t.minute % 5 == 0 and t.second == 0, x            # every 300 s of sample time
    assert at - t in (timedelta(minutes=20), timedelta(minutes=45)), x
    if x["wait_s"] is not None:
        assert x["low_s"] <= x["wait_s"] <= x["high_s"], x
    else:
        assert x["low_s"] is None and x["high_s"] is None, x
# the third day's lunch is foreseen from the first two: above 10 min 45 min ahead
peak = max(x["wait_s"] or 0 for x in lines if x["t"].startswith("2014-11-05") and x["at"] > x["t"][:11] + "11:30")
assert peak > 600, peak
PY
# causal: a forecast made at T is the same whether the input stops at T or goes on
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    s = json.loads(line)
    if "t" in s and s["t"] > "2014-11-05T11:20:00Z":
        break
    sys.stdout.write(line)' "$tmp/three.jsonl" >"$tmp/cut.jsonl"
"$tool" forecast --schedule "$demo/paris-2014.schedule.json" --horizon 20 --horizon 45 "$tmp/cut.jsonl" >"$tmp/fc_cut.jsonl" 2>/dev/null
expect "forecast is causal" python3 - "$tmp/fc.jsonl" "$tmp/fc_cut.jsonl" <<'PY'
import sys
full = [l for l in open(sys.argv[1]) if '"t":"2014-11-05T11:15:00Z"' in l]
cut = [l for l in open(sys.argv[2]) if '"t":"2014-11-05T11:15:00Z"' in l]
assert full and full == cut, (full, cut)
PY

# real feeds that need a zone
if [ -f "$shared/README.md" ]; then
  check "sessionize without a zone" 1 "$(run parse "$shared/sessionize_orlandocodecamp2020_All.json")"
  expect "sessionize error asks for --timezone" grep -q -- "--timezone" "$tmp/err"
  check "sessionize with a zone" 0 "$(run parse --timezone America/New_York "$shared/sessionize_orlandocodecamp2020_All.json")"
  check "invalid example refused" 1 "$(run parse "$shared/c3voc_invalid-example.json")"
  expect "invalid example names the field" grep -q "schedule.rooms" "$tmp/err"
else
  echo "SKIP: $shared is absent: the CLI checks on real feeds did not run"
fi

# misreadings of real feeds (issue 15): refused saying why, or read in full
check "schedule.xml of another structure" 1 "$(run parse "$data/pentabarf_xml/own-sessions.xml")"
expect "another structure: what was expected, what was found" grep -qF \
  'own-sessions.xml: line 5: no <day><room><event> found: not a pentabarf/frab schedule (found <session> under <schedule>)' "$tmp/err"
check "schedule.xml with days but no events yet" 0 "$(run parse "$data/pentabarf_xml/no-events-yet.xml")"
expect "no events yet: a warning" grep -q 'no-events-yet.xml: warning: the feed holds no sessions' "$tmp/err"
check "<person> without <persons>" 0 "$(run parse "$data/pentabarf_xml/persons-unwrapped.xml")"
expect "<person> without <persons> are speakers" python3 -c '
import json, sys
d = {s["id"]: s["speakers"] for s in json.load(open(sys.argv[1]))["sessions"]}
assert d["31"] == ["Lotte De Smet", "Ruben Verstraete"], d' "$tmp/out"
python3 -c 'print("{\"schedule\":" + "[" * 1500 + "]" * 1500 + "}")' >"$tmp/deep.json"
check "JSON nested too deeply" 1 "$(run parse "$tmp/deep.json")"
expect "deep JSON: the file and the limit" grep -qF \
  'deep.json: line 1, column 1012: nested too deeply: more than 1000 levels of arrays and objects' "$tmp/err"
python3 -c 'print("<schedule>\n" + "<day>" * 300 + "</day>" * 300 + "</schedule>")' >"$tmp/deep.xml"
check "XML nested too deeply" 1 "$(run parse "$tmp/deep.xml")"
expect "deep XML: the file and the limit" grep -qF \
  'deep.xml: line 2: nested too deeply: more than 256 levels of elements' "$tmp/err"
expect "deep XML: no libxml2 advice" sh -c '! grep -q XML_PARSE_HUGE "$1"' sh "$tmp/err"
check "iCalendar typed X-WR-CALNAME" 0 "$(run parse "$data/ical_feed/calname.ics")"
expect "X-WR-CALNAME is the title, X-WR-TIMEZONE the zone" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["conference"]
assert c["title"] == "Journées Réseaux Lyon 2025" and c["timezone"] == "Europe/Paris", c' "$tmp/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
