// Parse one iCalendar object from stdin with Mozilla's ical.js and print JSON.
// Each VTIMEZONE is registered first, as Thunderbird does, so TZID times become real instants
// (an unknown TZID would silently be read as floating time). Exit code 1 on a parse error.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

function utc(time) {
  if (!time) return null;
  if (time.isDate) return time.toString();
  if (time.zone === ICAL.Timezone.localTimezone) return "floating:" + time.toString();
  return time.toJSDate().toISOString();
}

// The LANGUAGE parameter of each of the named properties that has one.
function languages(component, names) {
  return Object.fromEntries(
    names
      .map((name) => [name, component.getFirstProperty(name)?.getParameter("language")])
      .filter(([, language]) => language),
  );
}

function values(component, name) {
  return component.getAllProperties(name).map((p) => ({
    value: String(p.getFirstValue()),
    parameters: Object.fromEntries(
      Object.entries(p.toJSON()[1]).map(([k, v]) => [k, String(v)]),
    ),
  }));
}

try {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents("vtimezone").map((vtz) => {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone, zone.tzid);
    return zone.tzid;
  });
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = vevent.getFirstProperty("dtstart");
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue("status"),
      summary: event.summary,
      location: event.location,
      description: event.description,
      url: vevent.getFirstPropertyValue("url"),
      start: utc(event.startDate),
      end: utc(event.endDate),
      tzid: start ? start.getParameter("tzid") || null : null,
      stamp: utc(vevent.getFirstPropertyValue("dtstamp")),
      conference: values(vevent, "conference"),
      organizer: vevent.getFirstPropertyValue("organizer"),
      attendees: values(vevent, "attendee"),
      languages: languages(vevent, ["summary", "description", "location"]),
    };
  });
  const result = {
    method: calendar.getFirstPropertyValue("method"),
    name: calendar.getFirstPropertyValue("name") ?? calendar.getFirstPropertyValue("x-wr-calname"),
    description: calendar.getFirstPropertyValue("description"),
    languages: languages(calendar, ["name", "x-wr-calname", "description", "x-wr-caldesc"]),
    timezones,
    events,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
} catch (error) {
  process.stderr.write(`ical.js could not parse the input: ${error}\n`);
  process.exit(1);
}
