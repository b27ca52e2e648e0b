import { Duration } from 'aws-cdk-lib';
import {
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** Where Vite puts hashed bundles (`build.assetsDir`): their names change with their content. */
export const UI_ASSETS_PREFIX = '/assets/';

/**
 * Viewer-request code of the UI's default behaviour (cloudfront-js-2.0). History routes such as
 * `/experiments/1/runs/abc` or `/models/my.model` have no object in the bucket, so every path that is not a
 * bundle under /assets/ or a file at the root (`/index.html`, `/favicon.ico`) is answered with index.html and
 * the app routes it. It runs on the UI behaviours only: API paths keep their own 404s and 401s.
 */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('${UI_ASSETS_PREFIX}') === 0) return request;
  if (uri.lastIndexOf('/') === 0 && uri.indexOf('.') > 0) return request;
  request.uri = '/index.html';
  return request;
}`;

export interface UiEdgeProps {
  /**
   * Hosts outside the distribution the app may read from (`https://<bucket>.s3.<region>.amazonaws.com`):
   * artifact downloads redirect to presigned S3 URLs, which the artifact previews fetch.
   */
  readonly artifactOrigins: string[];
}

/**
 * The UI's Content-Security-Policy: the app's own scripts only (Vite emits no inline script); inline styles
 * because chart libraries style their tooltips inline; data:/blob: images and frames for the favicon, chart
 * exports and sandboxed HTML previews; no framing of the app (clickjacking).
 */
export const uiContentSecurityPolicy = (artifactOrigins: string[]): string => {
  const artifacts = artifactOrigins.map((origin) => ` ${origin}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${artifacts}`,
    `media-src 'self' blob:${artifacts}`,
    "font-src 'self' data:",
    `connect-src 'self'${artifacts}`,
    "frame-src 'self' blob: data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
};

/**
 * API answers are JSON or artifact bytes, never a page: an artifact that is HTML (a logged report) and is
 * opened directly must not run script in the UI's origin, where the tab keeps its token. `sandbox` gives such
 * a document an opaque origin; the UI's frame may still show it.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'";

const securityHeaders = (contentSecurityPolicy: string, frame: HeadersFrameOption): ResponseSecurityHeadersBehavior => ({
  contentSecurityPolicy: { contentSecurityPolicy, override: true },
  strictTransportSecurity: { accessControlMaxAge: Duration.days(365 * 2), includeSubdomains: true, override: true },
  contentTypeOptions: { override: true },
  frameOptions: { frameOption: frame, override: true },
  referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
});

const PERMISSIONS_POLICY = { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true };

/**
 * What CloudFront adds at the edge: the SPA fallback function and three response header policies (the app
 * shell, hashed bundles, the API).
 */
export class UiEdge extends Construct {
  readonly spaFallback: CloudFrontFunction;
  /** index.html and root files: revalidated on every load, so a deploy shows at once. */
  readonly appHeaders: ResponseHeadersPolicy;
  /** /assets/*: content-hashed names, cached for a year. */
  readonly assetHeaders: ResponseHeadersPolicy;
  /** The API paths: a locked-down CSP, and no `WWW-Authenticate` so a 401 reaches the app instead of a browser prompt. */
  readonly apiHeaders: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: UiEdgeProps) {
    super(scope, id);
    this.spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(SPA_FALLBACK_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Cairn UI: history routes answer index.html',
    });
    const app = securityHeaders(uiContentSecurityPolicy(props.artifactOrigins), HeadersFrameOption.DENY);
    this.appHeaders = new ResponseHeadersPolicy(this, 'AppHeaders', {
      comment: 'Cairn UI: security headers, no caching of the app shell',
      securityHeadersBehavior: app,
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: 'no-cache', override: true }, PERMISSIONS_POLICY],
      },
    });
    this.assetHeaders = new ResponseHeadersPolicy(this, 'AssetHeaders', {
      comment: 'Cairn UI: security headers, hashed bundles cached for a year',
      securityHeadersBehavior: app,
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: 'public, max-age=31536000, immutable', override: true }, PERMISSIONS_POLICY],
      },
    });
    this.apiHeaders = new ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'Cairn API behind the UI: security headers; no Basic challenge (the app has its own sign-in)',
      securityHeadersBehavior: securityHeaders(API_CONTENT_SECURITY_POLICY, HeadersFrameOption.SAMEORIGIN),
      // A 401 with a Basic challenge makes the browser open its own password dialog over the app. Clients that
      // use this host as their tracking URI send credentials up front and need no challenge.
      removeHeaders: ['WWW-Authenticate'],
    });
  }
}
