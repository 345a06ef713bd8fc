/** @module A run's progress as the server reports it: a bar and the percentage. */
export function RunProgress({ progress, label }: { progress: number; label: string }) {
  const value = Math.max(0, Math.min(100, progress));
  return (
    <div className="flex min-w-24 items-center gap-2">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        className="h-2 w-16 overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full bg-primary transition-[width]" style={{ width: `${value}%` }} />
      </div>
      <span className="tabular-nums text-xs" data-testid="run-progress">
        {progress}%
      </span>
    </div>
  );
}
