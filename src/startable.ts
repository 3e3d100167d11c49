/** Lifecycle of anything that holds a resource (libp2p's `Startable`). start/stop are idempotent. */
export interface Startable {
  start (): Promise<void> | void
  stop (): Promise<void> | void
  isStarted (): boolean
}
