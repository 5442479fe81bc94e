/** Why a control fails on purpose. */
export interface ControlException {
  readonly control: string;
}
export const CONTROL_TOWER_EXCEPTIONS: ControlException[] = [];
export const CONTROL_TOWER_LIMITS: { [stack: string]: number } = {};
