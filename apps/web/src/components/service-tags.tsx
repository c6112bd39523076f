import { serviceColor } from '../trace/colors.ts';
import type { ServiceCount } from '../trace/summary.ts';

/** The services of a trace as small chips: colour, name, span count. */
export function ServiceTags({ services, max = 8 }: { services: ServiceCount[]; max?: number }) {
  const shown = services.slice(0, max);
  const more = services.length - shown.length;
  return (
    <ul className="service-tags">
      {shown.map((s) => (
        <li key={s.name} className={s.errors > 0 ? 'service-tag has-errors' : 'service-tag'} title={s.name}>
          <span className="swatch" style={{ background: serviceColor(s.name) }} />
          <span className="service-tag-name">{s.name}</span>
          <span className="service-tag-count">{s.spans}</span>
        </li>
      ))}
      {more > 0 && <li className="service-tag more">+{more} more</li>}
    </ul>
  );
}
