/** Stored pool resources that are not users: groups and identity providers. */

export interface GroupRecord {
  readonly name: string;
  description?: string;
  precedence?: number;
  roleArn?: string;
  readonly createdAt: number;
  modifiedAt: number;
}

export type GroupDetails = Partial<Pick<GroupRecord, 'description' | 'precedence' | 'roleArn'>>;

/** Kept only to be described and listed; the emulator never federates. */
export interface IdentityProviderRecord {
  readonly name: string;
  readonly type: string;
  details: Record<string, string>;
  attributeMapping: Record<string, string>;
  identifiers: string[];
  readonly createdAt: number;
  modifiedAt: number;
}
