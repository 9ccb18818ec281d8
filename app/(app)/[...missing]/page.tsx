import type { Metadata } from "next";
import { notFound } from "next/navigation";

export const metadata: Metadata = { title: "Not found" };

/**
 * Any path no route knows, for a signed-in person: the app's own 404 page, inside
 * the app's frame (navigation, tables), rather than the bare root one.
 */
export default function Missing() {
  notFound();
}
