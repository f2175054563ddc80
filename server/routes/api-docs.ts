// A readable API reference at /api/docs, rendered from the same OpenAPI document (no CDN, works offline).

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: { example?: unknown } }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string; type?: string; items?: { $ref?: string } } }> }>;
}

interface Document {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const escape = (text: string) => text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const refName = (ref: string | undefined) => (ref ? ref.split('/').pop()! : '');

function schemaLabel(schema: { $ref?: string; type?: string; items?: { $ref?: string } } | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return `<a href="#schema-${refName(schema.$ref)}">${refName(schema.$ref)}</a>`;
  if (schema.type === 'array' && schema.items?.$ref) return `array of <a href="#schema-${refName(schema.items.$ref)}">${refName(schema.items.$ref)}</a>`;
  return escape(schema.type ?? '');
}

/** Takes the generated OpenAPI 3.1 document; reads only the parts it renders. */
export function renderApiDocs(openapi: object): string {
  const doc = openapi as Document;
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const body = operations
    .map(({ path, method, op }) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${p.required ? '必填 required' : ''}</td><td>${escape(p.description ?? '')}${p.schema?.example !== undefined ? ` <small>例 e.g. <code>${escape(String(p.schema.example))}</code></small>` : ''}</td></tr>`,
        )
        .join('');
      const requestSchema = op.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${status}</b> ${escape(r.description ?? '')} ${schemaLabel(r.content?.['application/json']?.schema)}</li>`)
        .join('');
      return `<section class="op"><h3><span class="m ${method}">${method}</span> <code>/api${escape(path.replace(/\{(\w+)\}/g, ':$1'))}</code></h3>
<p>${escape(op.summary ?? '')}</p>${op.description ? `<p class="d">${escape(op.description)}</p>` : ''}
${params ? `<table><tr><th>参数 parameter</th><th>in</th><th></th><th>说明 description</th></tr>${params}</table>` : ''}
${requestSchema ? `<p>请求体 body: ${schemaLabel(requestSchema)}</p>` : ''}<ul>${responses}</ul></section>`;
    })
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3><pre>${escape(JSON.stringify(schema, null, 2))}</pre></section>`)
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(doc.info.title)} — 接口文档 API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1f2933}
code,pre{font-family:ui-monospace,monospace}pre{background:#f4f5f7;padding:.8em;overflow:auto;font-size:12px}
.op{border-top:1px solid #ddd;padding:.5em 0}.m{display:inline-block;min-width:4em;padding:0 .4em;color:#fff;border-radius:3px;font-size:.8em;text-align:center}
.GET{background:#2f7d4f}.POST{background:#1f5fa8}.PUT{background:#8a5a00}.PATCH{background:#6b3fa0}.DELETE{background:#a83232}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}.d{color:#52606d}</style></head>
<body><h1>${escape(doc.info.title)}</h1><p>${escape(doc.info.description ?? '')}</p>
<p>机器可读文档 Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1)</p>
<h2>接口 Endpoints</h2>${body}<h2>数据结构 Schemas</h2>${schemas}</body></html>`;
}
