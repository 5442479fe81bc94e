import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { renderSpaRoutingCode } from './private/routing-code';
import { checkPattern, checkRequired } from '../private/validate';

/**
 * Props for `SpaRoutingFunction`.
 */
export interface SpaRoutingFunctionProps {
  /**
   * The document that navigation requests (paths whose last segment has no file extension) are
   * rewritten to.
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
}

/**
 * A CloudFront Function (viewer request) that routes a single-page app's navigation requests to
 * its index document without hiding errors: `/orders/42` is served `/index.html`, while a missing
 * `/logo.png` still gets a 404. Attach it to the site's behavior only, never to an API behavior.
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
  /** The CloudFront Function. */
  public readonly function: cloudfront.Function;

  constructor(scope: Construct, id: string, props: SpaRoutingFunctionProps = {}) {
    super(scope, id);
    const indexDocument = props.indexDocument ?? 'index.html';
    checkPattern(this, 'indexDocument', indexDocument, /^[A-Za-z0-9_\-.~/]*[A-Za-z0-9_\-~]\.[A-Za-z0-9]+$/, "a file name with an extension, e.g. 'index.html'");
    const hostPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
    checkPattern(this, 'redirectFrom', props.redirectFrom, hostPattern, "a host name, e.g. 'www.example.com'");
    checkPattern(this, 'redirectTo', props.redirectTo, hostPattern, "a host name, e.g. 'example.com'");
    if (props.redirectFrom !== undefined) checkRequired(this, 'redirectTo', props.redirectTo, 'when `redirectFrom` is set');
    if (props.redirectTo !== undefined) checkRequired(this, 'redirectFrom', props.redirectFrom, 'when `redirectTo` is set');

    this.function = new cloudfront.Function(this, 'Function', {
      comment: 'SPA routing: extension-less paths to the index document',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(renderSpaRoutingCode({
        indexPath: `/${indexDocument.replace(/^\/+/, '')}`,
        redirectFrom: (props.redirectFrom ?? '').toLowerCase(),
        redirectTo: props.redirectTo ?? '',
      })),
    });
  }
}
