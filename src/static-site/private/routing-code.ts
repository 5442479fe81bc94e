import * as fs from 'fs';
import * as path from 'path';

/** Where the CloudFront Function's source lives (shipped in the npm package under assets/). */
export const SPA_ROUTING_CODE_PATH = path.join(__dirname, '..', '..', '..', 'assets', 'static-site', 'spa-routing.js');

/** The settings baked into the function's code at synth. */
export interface SpaRoutingConfig {
  /** The index document navigation requests are rewritten to, e.g. `/index.html`. */
  readonly indexPath: string;
  /** A host to redirect from (lower case), or '' for none. */
  readonly redirectFrom: string;
  /** The host to redirect to, or '' for none. */
  readonly redirectTo: string;
  /** The lower-case extensions (without the dot) whose paths are files, never routes. */
  readonly assetExtensions: string[];
}

const CONFIG_LINE = /^var CONFIG = .*;$/m;

/**
 * The function's code with its CONFIG line replaced. The same text runs in CloudFront and in the
 * unit tests, so what is tested is what is deployed.
 */
export function renderSpaRoutingCode(config: SpaRoutingConfig): string {
  const source = fs.readFileSync(SPA_ROUTING_CODE_PATH, 'utf-8');
  if (!CONFIG_LINE.test(source)) {
    throw new Error(`${SPA_ROUTING_CODE_PATH} has lost its 'var CONFIG = ...;' line`);
  }
  const line = `var CONFIG = ${JSON.stringify({
    indexPath: config.indexPath,
    redirectFrom: config.redirectFrom,
    redirectTo: config.redirectTo,
    assetExtensions: config.assetExtensions,
  })};`;
  return source.replace(CONFIG_LINE, () => line);
}
