/**
 * Cron schedules for static roles' `rotation_schedule`: the five standard fields (minute hour day-of-month month
 * day-of-week), as Vault parses them (robfig/cron with Minute|Hour|Dom|Month|Dow). Each field takes `*`, `?` (day
 * fields), numbers, names (`JAN`…`DEC`, `SUN`…`SAT`), ranges `a-b`, steps `*\/n` and `a-b/n`, and lists. As in cron,
 * when both day fields are restricted a day matching either is due. Times are UTC.
 */

export interface CronSchedule {
  readonly source: string;
  /** The first due time strictly after `afterMs` (ms since the epoch), to the minute. */
  next(afterMs: number): number;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function value(spec: FieldSpec, text: string): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse ${spec.name} "${text}"`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new Error(`${spec.name} ${n} out of range [${spec.min}, ${spec.max}]`);
  return n;
}

/** The set of allowed values of one field, and whether it was `*` / `?`. */
function parseField(spec: FieldSpec, text: string): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || range === '' || extra !== undefined) throw new Error(`failed to parse ${spec.name} "${part}"`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`failed to parse ${spec.name} step "${stepText}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      if (range === '?' && spec.name !== 'day of month' && spec.name !== 'day of week') throw new Error(`"?" is not allowed in ${spec.name}`);
      lo = spec.min;
      hi = spec.max;
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(spec, a ?? '');
      hi = value(spec, b ?? '');
      if (lo > hi) throw new Error(`${spec.name} range ${range} is backwards`);
    } else {
      lo = value(spec, range);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

/** Parses a 5-field cron expression; throws an Error saying what is wrong. */
export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: ${JSON.stringify(source)}`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(FIELDS[i] as FieldSpec, p)) as [
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
  ];
  const dayMatches = (d: Date): boolean => {
    const domOk = dom.set.has(d.getUTCDate());
    const dowOk = dow.set.has(d.getUTCDay());
    if (dom.star || dow.star) return domOk && dowOk;
    return domOk || dowOk;
  };
  return {
    source,
    next(afterMs: number): number {
      // Start at the next whole minute.
      const start = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
      const day = new Date(start);
      day.setUTCHours(0, 0, 0, 0);
      for (let i = 0; i < 366 * 5; i++, day.setUTCDate(day.getUTCDate() + 1)) {
        if (!month.set.has(day.getUTCMonth() + 1) || !dayMatches(day)) continue;
        for (const h of [...hour.set].sort((a, b) => a - b)) {
          for (const m of [...minute.set].sort((a, b) => a - b)) {
            const t = day.getTime() + h * 3_600_000 + m * 60_000;
            if (t >= start) return t;
          }
        }
      }
      throw new Error(`the schedule ${JSON.stringify(source)} never fires`);
    },
  };
}
