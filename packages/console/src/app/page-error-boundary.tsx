/**
 * @module What a page shows when it cannot be shown: a page's code that fails to load (the console
 * was updated since this tab opened, and the old chunk is gone; or the network dropped), or a page
 * that throws while rendering. The rest of the console stays usable; reloading fetches the new code.
 */
import { Component, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface State {
  error: Error | null;
}

export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const loading = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message);
    return (
      <Alert tone="danger" role="alert">
        <p className="font-medium">
          {loading
            ? "This page could not be loaded: the console may have been updated since this tab was opened, or the network dropped."
            : "This page failed to show."}
        </p>
        <p className="mt-1 text-sm">{error.message}</p>
        <Button type="button" className="mt-3" onClick={() => window.location.reload()}>
          Reload the console
        </Button>
      </Alert>
    );
  }
}
