import type { Metadata } from "next";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";
import { TimeZoneReporter } from "@/components/layout/time-zone-reporter";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Temporal Records", template: "%s · Temporal Records" },
  description: "Every change to every record, property by property: who, when and why.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const timeZone = await viewerTimeZone();
  return (
    <html lang="en">
      <body className="min-h-screen">
        {/* State a person can share lives in the URL; a change is a navigation the server renders, kept in history. */}
        <NuqsAdapter defaultOptions={{ shallow: false, history: "push", scroll: false }}>{children}</NuqsAdapter>
        <TimeZoneReporter current={timeZone} />
      </body>
    </html>
  );
}
