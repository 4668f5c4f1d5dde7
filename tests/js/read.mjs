// Read an .ics file's text properties the way Thunderbird's parser (ical.js) does.
//
//   node tests/js/read.mjs FILE.ics
//
// Prints JSON: {"calendar": {"name": ..., "x-wr-calname": ...}, "events": [{...}, ...]}
// with each VEVENT's uid, recurrence-id, summary, description, location,
// categories, class, status and sequence, unescaped as ical.js unescapes them.
//
// NAME (RFC 7986) and X-WR-CALNAME are TEXT, but ical.js does not know them and
// would leave their escapes as written: it is told their type, as a calendar
// app that shows them would be.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node read.mjs FILE.ics");
  process.exit(2);
}
for (const name of ["name", "x-wr-calname"]) {
  ICAL.design.icalendar.property[name] = { defaultType: "text" };
}
const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const categories = vevent.getFirstProperty("categories");
  const recurrenceId = vevent.getFirstPropertyValue("recurrence-id");
  return {
    uid: text(vevent, "uid"),
    "recurrence-id": recurrenceId ? recurrenceId.toString() : null,
    summary: text(vevent, "summary"),
    description: text(vevent, "description"),
    location: text(vevent, "location"),
    categories: categories ? categories.getValues().map(String) : [],
    class: text(vevent, "class"),
    status: text(vevent, "status"),
    sequence: vevent.getFirstPropertyValue("sequence"),
  };
});
process.stdout.write(
  JSON.stringify(
    { calendar: { name: text(calendar, "name"), "x-wr-calname": text(calendar, "x-wr-calname") }, events },
    null,
    1,
  ) + "\n",
);
