import { DownloadLink } from "@/components/ui/button";

/** "Export CSV" and "Export JSON": downloads of what the page shows (every row, not just this page's). */
export function ExportLinks({ csv, json }: { csv: string; json: string }) {
  return (
    <>
      <DownloadLink href={csv}>Export CSV</DownloadLink>
      <DownloadLink href={json}>Export JSON</DownloadLink>
    </>
  );
}
