/** Bounds on what an archive may expand to: a zip bomb stops at the declaration, before any inflation. */
export interface ArchiveLimits {
  /** largest uncompressed member accepted */
  readonly maxMemberBytes: number;
  /** largest total of all data members */
  readonly maxTotalBytes: number;
  readonly maxMembers: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxMemberBytes: 256 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxMembers: 1000,
};
