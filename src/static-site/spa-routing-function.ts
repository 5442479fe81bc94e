import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { renderSpaRoutingCode } from './private/routing-code';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { checkPattern, checkRequired, invalid } from '../private/validate';

/**
 * The file extensions a built SPA serves: documents, scripts, styles, source maps, data, images,
 * fonts, media, WebAssembly and downloads.
 */
const DEFAULT_ASSET_EXTENSIONS: readonly string[] = [
  'html', 'htm', 'js', 'mjs', 'cjs', 'css', 'map', 'json', 'webmanifest', 'xml', 'txt', 'csv', 'pdf',
  'ico', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'bmp',
  'woff', 'woff2', 'ttf', 'otf', 'eot',
  'mp4', 'webm', 'mp3', 'ogg', 'wav', 'm4a',
  'wasm', 'zip', 'gz', 'br',
];

/**
 * Props for `SpaRoutingFunction`.
 */
export interface SpaRoutingFunctionProps {
  /**
   * The document that navigation requests (every path that is not a file, see `assetExtensions`)
   * are rewritten to.
   *
   * @default 'index.html'
   */
  readonly indexDocument?: string;

  /**
   * A host name whose requests are answered with a 301 redirect to `redirectTo` (e.g. the `www.`
   * name of an apex domain). Path and query string are kept.
   *
   * @default - no redirect
   */
  readonly redirectFrom?: string;

  /**
   * The host name `redirectFrom` redirects to. Required with `redirectFrom`.
   *
   * @default - no redirect
   */
  readonly redirectTo?: string;

  /**
   * The file extensions (without the dot, e.g. `png`) that make a path a file: `/logo.png` is
   * served as is (or gets 404), while a dot before any other ending is part of a client route
   * (`/users/jane.doe`, `/releases/v1.2.3` load the app). Paths under `/.well-known/` are always
   * files. Extend the default with `[...SpaRoutingFunction.DEFAULT_ASSET_EXTENSIONS, 'glb']`.
   *
   * @default SpaRoutingFunction.DEFAULT_ASSET_EXTENSIONS
   */
  readonly assetExtensions?: string[];
}

/**
 * A CloudFront Function (viewer request) that routes a single-page app's navigation requests to
 * its index document without hiding errors: `/orders/42` and `/users/jane.doe` are served
 * `/index.html`, while a missing `/logo.png` still gets a 404 and `/.well-known/` files pass. Attach it to the site's behavior only, never to an API behavior.
 *
 * Costs nothing idle; 0.10 USD per million invocations beyond CloudFront's free 2 million a month.
 *
 * @example
 * import { SpaRoutingFunction } from 'cdk-lean-stack';
 *
 * const routing = new SpaRoutingFunction(this, 'Routing', {
 *   redirectFrom: 'www.example.com',
 *   redirectTo: 'example.com',
 * });
 */
export class SpaRoutingFunction extends Construct {
  /**
   * The extensions treated as files by default: documents, scripts, styles, source maps, data,
   * images, fonts, media, WebAssembly and archives (`html`, `js`, `css`, `map`, `json`, `png`,
   * `svg`, `woff2`, `mp4`, `wasm`, ...).
   */
  public static readonly DEFAULT_ASSET_EXTENSIONS: string[] = [...DEFAULT_ASSET_EXTENSIONS];

  /** The CloudFront Function. */
  public readonly function: cloudfront.Function;

  constructor(scope: Construct, id: string, props: SpaRoutingFunctionProps = {}) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    const indexDocument = props.indexDocument ?? 'index.html';
    checkPattern(this, 'indexDocument', indexDocument, /^[A-Za-z0-9_\-.~/]*[A-Za-z0-9_\-~]\.[A-Za-z0-9]+$/, "a file name with an extension, e.g. 'index.html'");
    const hostPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
    checkPattern(this, 'redirectFrom', props.redirectFrom, hostPattern, "a host name, e.g. 'www.example.com'");
    checkPattern(this, 'redirectTo', props.redirectTo, hostPattern, "a host name, e.g. 'example.com'");
    if (props.redirectFrom !== undefined) checkRequired(this, 'redirectTo', props.redirectTo, 'when `redirectFrom` is set');
    if (props.redirectTo !== undefined) checkRequired(this, 'redirectFrom', props.redirectFrom, 'when `redirectTo` is set');
    const assetExtensions = resolveExtensions(this, props.assetExtensions);

    this.function = new cloudfront.Function(this, 'Function', {
      comment: 'SPA routing: paths that are not files to the index document',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(renderSpaRoutingCode({
        indexPath: `/${indexDocument.replace(/^\/+/, '')}`,
        redirectFrom: (props.redirectFrom ?? '').toLowerCase(),
        redirectTo: props.redirectTo ?? '',
        assetExtensions,
      })),
    });
  }
}

/** Checks the extensions and returns them lower-cased, without duplicates. */
function resolveExtensions(scope: Construct, given: string[] | undefined): string[] {
  if (given === undefined) return [...DEFAULT_ASSET_EXTENSIONS];
  if (given.length === 0) invalid(scope, 'assetExtensions', given, 'at least one file extension, e.g. [\'html\', \'js\', \'css\']');
  given.forEach((ext, i) => checkPattern(scope, `assetExtensions[${i}]`, ext, /^[A-Za-z0-9]{1,16}$/, "a file extension of letters and digits without the dot, e.g. 'png'"));
  return [...new Set(given.map((ext) => ext.toLowerCase()))];
}
