import { Link } from "react-router";
import { PageHeader } from "@/components/page";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="There is no page at this address." />
      <Link className="text-primary underline" to="/">
        Back to the dashboard
      </Link>
    </>
  );
}
