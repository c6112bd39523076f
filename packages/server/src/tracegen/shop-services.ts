/**
 * The services of the synthetic shop and their telemetry identity. Resources and scopes are made once
 * and shared by reference by every span of a replica, so OTLP encoders group them as an SDK would.
 * Treat them as read-only.
 */
import type { Attributes, Resource, Scope } from '@genba/model';
import { pick, type Rng } from './random.ts';

export type ServiceName = 'frontend' | 'api-gateway' | 'orders' | 'payments' | 'inventory' | 'shipping';

type Language = 'nodejs' | 'go' | 'java' | 'python';

interface ServiceSpec {
  version: string;
  language: Language;
  replicas: number;
  port: number;
}

const SPECS: Record<ServiceName, ServiceSpec> = {
  frontend: { version: '2.4.1', language: 'nodejs', replicas: 3, port: 8080 },
  'api-gateway': { version: '1.18.0', language: 'go', replicas: 2, port: 8000 },
  orders: { version: '3.2.0', language: 'java', replicas: 2, port: 8081 },
  payments: { version: '1.7.3', language: 'go', replicas: 2, port: 8082 },
  inventory: { version: '0.9.12', language: 'nodejs', replicas: 2, port: 8083 },
  shipping: { version: '1.1.0', language: 'python', replicas: 1, port: 8084 },
};

/** Instrumentation libraries per language, as the usual OTel distributions name them. */
const LIBRARIES: Record<Language, Record<Instrumentation, [string, string]>> = {
  nodejs: {
    http: ['@opentelemetry/instrumentation-http', '0.52.1'],
    db: ['@opentelemetry/instrumentation-pg', '0.43.0'],
    cache: ['@opentelemetry/instrumentation-ioredis', '0.42.0'],
    messaging: ['@opentelemetry/instrumentation-kafkajs', '0.2.0'],
  },
  go: {
    http: ['go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', '0.53.0'],
    db: ['github.com/XSAM/otelsql', '0.32.0'],
    cache: ['github.com/redis/go-redis/extra/redisotel', '9.5.1'],
    messaging: ['github.com/IBM/sarama/otelsarama', '0.53.0'],
  },
  java: {
    http: ['io.opentelemetry.spring-webmvc-6.0', '2.6.0-alpha'],
    db: ['io.opentelemetry.jdbc', '2.6.0-alpha'],
    cache: ['io.opentelemetry.lettuce-5.1', '2.6.0-alpha'],
    messaging: ['io.opentelemetry.kafka-clients-2.6', '2.6.0-alpha'],
  },
  python: {
    http: ['opentelemetry.instrumentation.flask', '0.47b0'],
    db: ['opentelemetry.instrumentation.psycopg2', '0.47b0'],
    cache: ['opentelemetry.instrumentation.redis', '0.47b0'],
    messaging: ['opentelemetry.instrumentation.confluent_kafka', '0.47b0'],
  },
};

export type Instrumentation = 'http' | 'db' | 'cache' | 'messaging';

/** One running copy of a service: its resource and the scopes its spans are recorded under. */
export interface Replica {
  service: ServiceName;
  host: string;
  port: number;
  resource: Resource;
  /** Library scopes by instrumentation, plus `manual` for the service's own spans. */
  scopes: Record<Instrumentation | 'manual', Scope>;
}

function scope(name: string, version: string): Scope {
  return { name, version, attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
}

function makeReplica(service: ServiceName, index: number): Replica {
  const spec = SPECS[service];
  const host = `${service}-${(0x5f3a + index * 0x1d1).toString(16)}`;
  const attributes: Attributes = {
    'service.name': service,
    'service.version': spec.version,
    'service.namespace': 'shop',
    'service.instance.id': `${host}-${index + 1}`,
    'host.name': host,
    'deployment.environment': 'production',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': spec.language,
    'telemetry.sdk.version': '1.26.0',
  };
  const libs = LIBRARIES[spec.language];
  return {
    service,
    host,
    port: spec.port,
    resource: { attributes, droppedAttributesCount: 0, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    scopes: {
      http: scope(...libs.http),
      db: scope(...libs.db),
      cache: scope(...libs.cache),
      messaging: scope(...libs.messaging),
      manual: scope(`shop.${service}`, spec.version),
    },
  };
}

const REPLICAS = Object.fromEntries(
  (Object.keys(SPECS) as ServiceName[]).map((s) => [
    s,
    Array.from({ length: SPECS[s].replicas }, (_, i) => makeReplica(s, i)),
  ]),
) as Record<ServiceName, Replica[]>;

export type Deployment = Record<ServiceName, Replica>;

/** The replicas that serve one trace: a load balancer's choice per service. */
export function chooseReplicas(rng: Rng): Deployment {
  const out = {} as Deployment;
  for (const s of Object.keys(SPECS) as ServiceName[]) out[s] = pick(rng, REPLICAS[s]);
  return out;
}
