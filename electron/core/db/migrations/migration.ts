export interface Migration {
  name: string;
  /** SQL run in one transaction; user_version becomes this migration's 1-based position. */
  up: string;
}
