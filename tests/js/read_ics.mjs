// Reads an .ics file as Thunderbird does (Mozilla ical.js) and prints what a client sees:
// METHOD, and per VEVENT its UID, SEQUENCE, STATUS, start/end in UTC and the TZID used.
// Usage: node read_ics.mjs file.ics
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const start = component.getFirstPropertyValue("dtstart");
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    tzid: start.zone ? start.zone.tzid : null,
    start_utc: event.startDate.toJSDate().toISOString(),
    end_utc: event.endDate.toJSDate().toISOString(),
    attendees: component.getAllProperties("attendee").map((p) => p.getFirstValue()),
    organizer: component.getFirstPropertyValue("organizer"),
  };
});
console.log(JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }));
