/**
 * The gateway HTTP probe set (issue 5): raw requests for hop-by-hop headers, X-Forwarded-*,
 * Host, chunked bodies, CL+TE and other smuggling shapes, limits, paths, upgrades and a client
 * abort, with a runner that sends each to any front before two recording upstreams. Used by
 * test/gateway/probes.int.test.ts (ficus, exact expectations), test/gateway/probes-nginx.int.test.ts
 * (nginx, the safety property) and bench/gateway/probes.ts (the two side by side).
 */
import { CONNECTION_PROBES } from './connection.js';
import { FRAMING_PROBES } from './framing.js';
import { LIMIT_PROBES } from './limits.js';
import type { Probe } from './model.js';
import { TARGET_PROBES } from './targets.js';

export const PROBES: readonly Probe[] = [...CONNECTION_PROBES, ...FRAMING_PROBES, ...LIMIT_PROBES, ...TARGET_PROBES];

export { H, LIMIT_BODY, LIMIT_HEADERS, type Expected, type Probe, type Side } from './model.js';
export { startProbeUpstreams, type ProbeUpstreams, type Received, type RecordingUpstream } from './upstreams.js';
export { headerMisses, parseAnswer, runProbe, safety, sendRaw, type Answer, type Outcome, type Safety } from './run.js';
export { NGINX, nginxConfig, startFicusFront, startNginxFront, type Front } from './fronts.js';
