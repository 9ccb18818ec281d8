/**
 * lib/temporal: per-property history for Drizzle + Postgres, recorded by the
 * database itself inside a required activity. This file is the only public entry.
 */
export { temporalTable, isTemporalTable, DEFAULT_MAX_VALUE_BYTES } from "./table";
export type { AnyTemporalTable, TemporalTable, TemporalTableOptions, TemporalInfo } from "./table";
export { temporalActivity, ACTIVITY_LIMITS } from "./activity-table";
export type { Activity } from "./activity-table";
export type { VclockRange, EffectiveRange } from "./columns";

export { withActivity, currentActivity } from "./activity";
export type { ActivityInput, ActivityContext } from "./activity";
export type { TemporalDb } from "./db";

export { create, createMany, tick, tickMany, retire, restore } from "./write";
export type { Row, NewRow, Changes, TickResult, TickManyEntry, TrackedOf } from "./write";
export { revert, revertActivity, planRevertActivity } from "./revert";
export type { RevertActivityPlan, RevertResolution } from "./revert";

export { asOf, diff, blame } from "./read";
export type { AsOf, Diff, Blame } from "./read";
export { lanes } from "./lanes";
export type { Lane, LaneBand, LaneOptions } from "./lanes";
export { tableAsOf } from "./table-as-of";
export type { TableAsOf, TableAsOfOptions } from "./table-as-of";
export { history, timeline, changeset } from "./timeline";
export type { Page, HistoryEntry, TimelineEntry, TimelineOptions, Changeset, ChangesetEntry } from "./timeline";
export { changedIn, propertyChanges } from "./property-changes";
export type { PropertyChangeEvent, PropertyChangeEntry, PropertyChangeFilter } from "./property-changes";
export type { Point, PropertyChange, TickKind } from "./sql-parts";
export type { Key, KeyInput } from "./values";

export { getActivity, listActivities, listActors, ticksPerDay } from "./activity-log";
export type { ActivitySummary, ActivityFilter, DailyTicks } from "./activity-log";
export { activityBatches, timelineBatches } from "./batches";
export type { BatchOptions } from "./batches";

export { verify } from "./verify";
export type { Violation, ViolationKind } from "./verify";

export { planTemporalMigration } from "./migration";
export type { TemporalSnapshot, TemporalMigration, PlanOptions } from "./migration";
export { checkTemporalSchema } from "./schema-check";
export { hashPartitionStatements } from "./partition";
export type { HashPartitionOptions } from "./partition";
export { temporalGrants } from "./grants";
export type { SchemaProblem } from "./schema-check";

export {
  TemporalError,
  MissingActivityError,
  InvalidActivityError,
  BackdateOrderError,
  FutureTickError,
  StaleVclockError,
  NotFoundError,
  UnknownPropertyError,
  InvalidKeyError,
  InvalidValueError,
  ConstraintViolationError,
  RetiredError,
  AlreadyRetiredError,
  NotRetiredError,
  DeleteRefusedError,
  HistoryImmutableError,
  KeyChangeRefusedError,
  VclockManagedError,
  RevertConflictError,
  WriteConflictError,
  ConnectionLostError,
  InvalidArgumentError,
  TemporalDefinitionError,
  TemporalDatabaseError,
} from "./errors";
export type { TemporalErrorCode, RevertConflict } from "./errors";
export { translateError } from "./db";
