import { IConstruct } from 'constructs';
import { LeanStackValidationError, checkPattern, invalid } from '../../private/validate';
import { ModuleSplit, ServiceModule } from '../service-module';

/** The Cloud Map name of the main service; no module may take it. */
export const MAIN_SERVICE_NAME = 'app';

const NAME = /^[a-z][a-z0-9-]{0,29}$/;
const PATH = /^(\/[A-Za-z0-9._~-]+)+\/\*$/;

/** A module resolved: where it is served and how its routes look. */
export interface ResolvedModule {
  readonly name: string;
  /** `/orders` for `/orders/*`. */
  readonly base: string;
  /** The split, when the module runs in its own service. */
  readonly split?: ModuleSplit;
}

/**
 * Validates the modules and the splits and pairs each module with its split.
 */
export function resolveModules(scope: IConstruct, modules: ServiceModule[], splits: ModuleSplit[]): ResolvedModule[] {
  const names = new Set<string>();
  const paths = new Map<string, string>();
  modules.forEach((m, i) => {
    checkPattern(scope, `modules[${i}].name`, m.name, NAME, 'lowercase letters, digits and hyphens starting with a letter (at most 30 characters)');
    if (m.name === MAIN_SERVICE_NAME) invalid(scope, `modules[${i}].name`, m.name, `a name other than '${MAIN_SERVICE_NAME}' (the main service's Cloud Map name)`);
    if (names.has(m.name)) invalid(scope, `modules[${i}].name`, m.name, 'unique among modules');
    names.add(m.name);
    checkPattern(scope, `modules[${i}].path`, m.path, PATH, "a prefix pattern like '/orders/*'");
    const other = paths.get(m.path);
    if (other !== undefined) {
      throw new LeanStackValidationError(scope, `\`modules[${i}].path\` must be unique, got: '${m.path}' (already used by module '${other}')`);
    }
    paths.set(m.path, m.name);
  });

  const splitByName = new Map<string, ModuleSplit>();
  splits.forEach((s, i) => {
    if (!names.has(s.module)) {
      const known = modules.length > 0 ? modules.map((m) => m.name).join(', ') : 'none declared';
      invalid(scope, `splitModules[${i}].module`, s.module, `the name of a declared module (${known})`);
    }
    if (splitByName.has(s.module)) invalid(scope, `splitModules[${i}].module`, s.module, 'split only once');
    splitByName.set(s.module, s);
  });

  return modules.map((m) => ({ name: m.name, base: m.path.slice(0, -2), split: splitByName.get(m.name) }));
}

/** `MODULE_ORDERS_SRV` for `orders`. */
export function moduleVariable(name: string): string {
  return `MODULE_${name.toUpperCase().replace(/-/g, '_')}_SRV`;
}

/** A construct id for a module (`Orders` for `orders`, `OrderItems` for `order-items`). */
export function moduleId(name: string): string {
  return name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
