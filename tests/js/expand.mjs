// Expand every VEVENT of an .ics file the way Thunderbird's parser (ical.js) does.
//
//   node tests/js/expand.mjs FILE.ics FROM_ISO TO_ISO
//
// Prints a JSON list of occurrences that start in [FROM, TO), sorted by start:
//   {"uid": ..., "start": "2026-03-08T19:00:00-04:00", "end": ..., "summary": ..., "status": ...}
// Cancelled ones (STATUS:CANCELLED) are listed too, with their status:
// Thunderbird shows them struck through.
//
// ical.js ships no zone database: a TZID means whatever the file's own
// VTIMEZONE says, once registered. That is the point: a VTIMEZONE that
// Thunderbird misreads shows up here as a wrong UTC offset.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, fromIso, toIso] = process.argv.slice(2);
if (!file || !fromIso || !toIso) {
  console.error("usage: node expand.mjs FILE.ics FROM_ISO TO_ISO");
  process.exit(2);
}
const from = Date.parse(fromIso);
const to = Date.parse(toIso);
if (Number.isNaN(from) || Number.isNaN(to)) {
  console.error(`not an ISO 8601 instant: ${Number.isNaN(from) ? fromIso : toIso}`);
  process.exit(2);
}

const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));

// Zones first: ical.js resolves a TZID when it first reads a date-time, and an
// unknown TZID silently becomes floating time.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

// Overrides (VEVENTs with RECURRENCE-ID) belong to the master with their UID.
const masters = new Map();
const overrides = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) {
    overrides.push(event);
  } else {
    masters.set(event.uid, event);
  }
}
const orphans = [];
for (const override of overrides) {
  const master = masters.get(override.uid);
  if (master) {
    master.relateException(override);
  } else {
    orphans.push(override);
  }
}

function pad(n, width = 2) {
  return String(Math.abs(n)).padStart(width, "0");
}

// ISO 8601 with the UTC offset ical.js computed, e.g. 2026-03-08T19:00:00-04:00.
// The offset is derived from one toUnixTime() call: ical.js's utcOffset() is
// slow, and this script calls it for thousands of instances.
function describe(time) {
  const date = `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
  if (time.isDate) {
    return { iso: date, at: Date.UTC(time.year, time.month - 1, time.day) };
  }
  const clock = `${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}`;
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  if (time.zone === ICAL.Timezone.localTimezone) {
    return { iso: `${date}T${clock}`, at: wall }; // floating: no offset to report
  }
  const at = time.toUnixTime() * 1000;
  const minutes = Math.round((wall - at) / 60000);
  const sign = minutes < 0 ? "-" : "+";
  const hhmm = `${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
  return { iso: `${date}T${clock}${sign}${hhmm}`, at };
}

const occurrences = [];
function emit(uid, start, end, item) {
  const { iso, at } = describe(start);
  if (at >= from && at < to) {
    const status = item.component.getFirstPropertyValue("status");
    occurrences.push({ uid, start: iso, end: describe(end).iso, summary: item.summary, status, at });
  }
  return at;
}

for (const event of masters.values()) {
  if (!event.isRecurring()) {
    emit(event.uid, event.startDate, event.endDate, event);
    continue;
  }
  const seen = new Set();
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    seen.add(details.recurrenceId.toString());
    const at = emit(event.uid, details.startDate, details.endDate, details.item);
    // An override may move an instance back into the range, so stop only
    // when both the original time and the actual start are past it.
    if (at >= to && describe(next).at >= to) {
      break;
    }
  }
  // Overrides whose original instance lies beyond where we stopped iterating
  // but which were moved into the range.
  for (const [key, override] of Object.entries(event.exceptions)) {
    if (!seen.has(key) && describe(override.recurrenceId).at >= to) {
      emit(event.uid, override.startDate, override.endDate, override);
    }
  }
}
// An override without its master is shown on its own by Thunderbird.
for (const override of orphans) {
  emit(override.uid, override.startDate, override.endDate, override);
}

occurrences.sort((a, b) => a.at - b.at || a.uid.localeCompare(b.uid));
process.stdout.write(
  JSON.stringify(occurrences.map(({ at, ...occurrence }) => occurrence), null, 1) + "\n",
);
