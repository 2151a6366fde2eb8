// The dashboard's shared crosshair over Grafana's event bus (DataHoverEvent carries the instant).
import { DataHoverClearEvent, DataHoverEvent, type EventBus } from '@grafana/data';
import type { Crosshair } from './useTimeTravel';

export function crosshairOf(eventBus: EventBus): Crosshair {
  return {
    publish: (t) => eventBus.publish(new DataHoverEvent({ point: { time: t } })),
    clear: () => eventBus.publish(new DataHoverClearEvent()),
    follow: (onTime, onLeave) => {
      const hover = eventBus.getStream(DataHoverEvent).subscribe((e) => {
        const t = e.payload.point?.time;
        if (typeof t === 'number') onTime(t);
      });
      const leave = eventBus.getStream(DataHoverClearEvent).subscribe(() => onLeave());
      return () => {
        hover.unsubscribe();
        leave.unsubscribe();
      };
    },
  };
}
