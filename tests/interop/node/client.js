#!/usr/bin/env node
// Interop client for sne-gateway built with the node-soap toolkit (npm `soap`, pinned in
// package.json). Protocol, calls and output format: ../PROTOCOL.md.
//
// Binary parameters travel as MTOM, as node-soap 1.13.0 packages it with `forceMTOM`: the
// caller writes the xop:Include and lists the attachments (node-soap never does it from a
// base64Binary argument), and node-soap labels the package `start-info="text/xml"` and the root
// part `type="text/xml"` whatever the envelope's version. The gateway takes the SOAP version of
// an MTOM package from its Envelope, treating those labels as hints, so stock node-soap works.
// NODE_SOAP_MTOM selects another mode, for investigation:
//   asis    node-soap's own MTOM packaging, unchanged (default)
//   off     inline base64 over plain SOAP 1.2 (`application/soap+xml; action=...`)
//   fixed   node-soap's MTOM with start-info and the root part type corrected to
//           application/soap+xml (a local patch of node-soap's request, not stock behaviour)
// NODE_SOAP_TRACE=1 writes every request/response (headers, first 1500 chars) to stderr.
// MTOM answers (multipart/related) are split by node-soap (`parseResponseAttachments`), but it
// leaves `{Include: {attributes: {href}}}` in the result and does not apply the parts'
// Content-Transfer-Encoding: this client resolves the cid and decodes base64 parts itself.
// Every SOAP answer is also saved as received, for the xmllint step: `node-soap-<call>.response`
// (the HTTP body bytes, MTOM multipart included) and `.response-headers` (its Content-Type), taken
// by a response interceptor on the axios instance node-soap is given (its `request` option).
// The document service (PieceJustificativeImplService, port PieceJustificativeImplPort) is called
// the same way; each document deposited is an attachment of its own type, with fichier@contentType.
// So are the search (RechercheDemandeImplPort) and the shared events (GestionPartageeEVTImplPort):
// the six event operations share one wrapper; node-soap takes each operation's soapAction from
// the binding when the method is called on its port (client[service][port][op]) and keeps it, as
// `action=...`, on the multipart Content-Type it builds for MTOM: the gateway dispatches on it.
'use strict';

const fs = require('fs');
const https = require('https');
const path = require('path');
const crypto = require('crypto');
const soap = require('soap');
// The axios node-soap depends on (package-lock.json); used only to give node-soap an instance
// with an interceptor, configured like the one node-soap would create itself.
const axios = require('axios');

const CLIENT = 'node-soap';
const SERVICE = 'DemandeLogementImplService';
const PORT = 'DemandeLogementImplPort';
const PIECES_SERVICE = 'PieceJustificativeImplService';
const PIECES_PORT = 'PieceJustificativeImplPort';
const RECHERCHE_SERVICE = 'RechercheDemandeImplService';
const RECHERCHE_PORT = 'RechercheDemandeImplPort';
const EVENEMENTS_SERVICE = 'GestionPartageeEVTImplService';
const EVENEMENTS_PORT = 'GestionPartageeEVTImplPort';
const WS_NS = 'http://ws.metier.nuu.application.i2/';
const NUU_NS = 'http://nuu.application.i2/';
const XOP_NS = 'http://www.w3.org/2004/08/xop/include';
const FIXTURE_CRE = 'demande/valid/cre_complet_v0201.xml';
const FIXTURE_INVALID = 'demande/invalid/long_nom_v0200.xml';
const UNKNOWN_NUM = '1111126999999G1104';
// Territory 111, month and year of dateCreationDemande (the fixtures are sent dated today).
const NUM_CRE = /^111(0[1-9]|1[0-2])[0-9]{2}[0-9]{6}G1104$/;

// --- the life of an application (PROTOCOL.md, "Calls of the lifecycle")
function today() {
  // en-CA formats as YYYY-MM-DD; the gateway counts Paris days.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}
const asType = (buf, t) => Buffer.from(buf.toString('utf8').replace(/<ns2:typeFichier>[A-Z]{3}<\/ns2:typeFichier>/, `<ns2:typeFichier>${t}</ns2:typeFichier>`), 'utf8');
const withBlock = (buf, block) => Buffer.from(buf.toString('utf8').replace('<ns2:incrementFichier>', `${block}<ns2:incrementFichier>`), 'utf8');
const MODES = ['off', 'asis', 'fixed'];

const ARG_NAMES = ['endpoint', 'cacert', 'cert', 'key', 'other-cert', 'other-key', 'fixtures', 'out'];

function usage(msg) {
  process.stderr.write(`${msg}\nusage: client.js ${ARG_NAMES.map((n) => `--${n} VALUE`).join(' ')}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !ARG_NAMES.includes(m[1])) usage(`unknown argument: ${argv[i]}`);
    let value = m[2];
    if (value === undefined) {
      if (i + 1 >= argv.length) usage(`missing value for --${m[1]}`);
      value = argv[++i];
    }
    args[m[1]] = value;
  }
  for (const n of ARG_NAMES) if (args[n] === undefined) usage(`missing --${n}`);
  return args;
}

// One result line per call; the detail must stay on one line.
function report(ok, call, detail) {
  const text = String(detail).replace(/\s+/g, ' ').trim();
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${CLIENT} ${call} ${text}\n`);
}

function diag(msg) {
  process.stderr.write(`[${CLIENT}] ${msg}\n`);
}

// node-soap forces `start-info="text/xml"` and a root part `type="text/xml"` whatever the SOAP
// version; mode `fixed` rewrites both so the package declares the SOAP 1.2 envelope it holds.
class Soap12MtomHttpClient extends soap.HttpClient {
  buildRequest(rurl, data, exheaders, exoptions) {
    const options = super.buildRequest(rurl, data, exheaders, exoptions);
    const ct = options.headers['Content-Type'];
    if (typeof ct === 'string' && ct.startsWith('multipart/related') && Buffer.isBuffer(options.data)) {
      options.headers['Content-Type'] = ct.replace('start-info="text/xml"', 'start-info="application/soap+xml"');
      // Only the first part header block (the root part) is touched.
      const body = options.data.toString('latin1');
      const rootEnd = body.indexOf('\r\n\r\n');
      const head = body.slice(0, rootEnd).replace(
        'application/xop+xml; charset=UTF-8; type="text/xml"',
        'application/xop+xml; charset=UTF-8; type="application/soap+xml"',
      );
      options.data = Buffer.from(head + body.slice(rootEnd), 'latin1');
    }
    return options;
  }
}

// Keeps the last HTTP answer a client received, body bytes as axios got them off the wire:
// with parseResponseAttachments node-soap asks axios for an arraybuffer (a Buffer in Node.js)
// and its transformResponse leaves it as is, so the interceptor sees the entity unchanged.
class RawResponses {
  constructor() {
    this.last = null;
    this.request = axios.create();
    const keep = (res) => {
      if (res && Buffer.isBuffer(res.data)) {
        const ct = res.headers && res.headers['content-type'];
        const headers = (res.config && res.config.headers) || {};
        const rct = typeof headers.get === 'function' ? headers.get('Content-Type') : headers['Content-Type'];
        this.last = {
          contentType: Array.isArray(ct) ? ct[0] : String(ct || ''),
          body: Buffer.from(res.data),
          requestContentType: String(rct || ''),
        };
      }
      return res;
    };
    this.request.interceptors.response.use(keep, (err) => {
      if (err && err.response) keep(err.response);
      return Promise.reject(err);
    });
  }
}

const RAW = new WeakMap();
// [service, port] a client calls, when not DemandeLogementImplService's SOAP 1.2 port.
const PORT_OF = new WeakMap();

async function buildClient(wsdlUrl, tls, mode) {
  const agent = new https.Agent({ cert: tls.cert, key: tls.key, ca: tls.ca });
  const raw = new RawResponses();
  const options = {
    // node-soap merges wsdl_options into the axios request config; axios ignores top-level
    // cert/key/ca, so the client certificate for the WSDL and XSD fetches needs an agent.
    wsdl_options: { httpsAgent: agent },
    forceSoap12Headers: true,
    parseResponseAttachments: true,
    request: raw.request,
  };
  if (mode === 'fixed') {
    options.httpClient = new Soap12MtomHttpClient({ parseResponseAttachments: true, request: raw.request });
  }
  const client = await soap.createClientAsync(wsdlUrl, options);
  client.setSecurity(new soap.ClientSSLSecurity(tls.key, tls.cert, tls.ca));
  RAW.set(client, raw);
  return client;
}

// Calls an operation on the SOAP 1.2 port explicitly: node-soap also defines the methods of
// the SOAP 1.1 port on the client object, and which one wins there is an accident of order.
function invoke(client, op, args, callOptions) {
  const [service, port] = PORT_OF.get(client) || [SERVICE, PORT];
  const method = client[service][port][op];
  return new Promise((resolve) => {
    method(
      args,
      (err, result, raw, soapHeader, rawRequest, mtom) => resolve({ err, result, raw, mtom }),
      callOptions,
    );
  });
}

// One binary parameter: inline base64, or an xop:Include naming a new attachment; `attributes`
// (e.g. fichier@contentType) go on the element either way.
function binaryArg(mode, name, body, attachments, mimetype, fileName, attributes) {
  if (mode === 'off') {
    const b64 = body.toString('base64');
    return attributes ? { attributes, $value: b64 } : b64;
  }
  const contentId = `${name}-${crypto.randomUUID()}@node-soap`;
  attachments.push({ mimetype, contentId, name: fileName, body });
  const $xml = `<xop:Include xmlns:xop="${XOP_NS}" href="cid:${encodeURI(contentId)}"/>`;
  return attributes ? { attributes, $xml } : { $xml };
}

// Builds one request with the binary parameters either inline or as MTOM attachments.
function makeRequest(mode, fields) {
  const args = {};
  const attachments = [];
  for (const [name, value] of fields) {
    if (!Buffer.isBuffer(value)) {
      args[name] = value;
    } else if (name === 'certificat') {
      args[name] = binaryArg(mode, name, value, attachments, 'application/octet-stream', 'certificat.pem');
    } else {
      args[name] = binaryArg(mode, name, value, attachments, 'text/xml', String(args.nomFichierDemande || name));
    }
  }
  const callOptions = mode === 'off' ? {} : { forceMTOM: true, attachments };
  return { args, callOptions };
}

// The pieces of a deposerPiece / deposerLotPieces, from [numUnique, codeCategorie, nomFichier,
// content, type] entries: each content is an attachment of its type, with fichier@contentType.
function piecesRequest(mode, entries) {
  const attachments = [];
  const pieces = entries.map(([numUnique, codeCategorie, nomFichier, body, type]) => ({
    numUnique, codeCategorie, personne: 'DEM', nomFichier,
    fichier: binaryArg(mode, 'fichier', body, attachments, type, nomFichier, { contentType: type }),
  }));
  return { pieces, callOptions: mode === 'off' ? {} : { forceMTOM: true, attachments } };
}

function stripAngles(s) {
  return String(s || '').trim().replace(/^<(.*)>$/, '$1');
}

// Decodes a base64Binary element of the answer, inline or as an xop:Include.
function binaryValue(value, mtom, notes) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (typeof value === 'object' && typeof value.$value === 'string') return Buffer.from(value.$value, 'base64');
  const include = value && value.Include;
  const href = include && include.attributes && include.attributes.href;
  if (!href) throw new Error(`valeur binaire inattendue : ${JSON.stringify(value).slice(0, 200)}`);
  if (!mtom || !Array.isArray(mtom.parts)) throw new Error(`xop:Include ${href} sans parties MIME`);
  const cid = decodeURIComponent(href.replace(/^cid:/i, ''));
  const part = mtom.parts.find((p) => stripAngles(p.headers['content-id']) === cid);
  if (!part) throw new Error(`partie MIME ${cid} introuvable`);
  notes.add('xop resolved by client');
  const cte = String(part.headers['content-transfer-encoding'] || '').trim().toLowerCase();
  if (cte === 'base64') {
    notes.add('base64 part decoded by client');
    return Buffer.from(part.body.toString('latin1'), 'base64');
  }
  return part.body;
}

function xmlAttrs(text) {
  const attrs = {};
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m;
  while ((m = re.exec(text))) attrs[m[1].replace(/^.*:/, '')] = m[3] !== undefined ? m[3] : m[4];
  return attrs;
}

// The business file is read with regular expressions on purpose: the checks are about the
// bytes the gateway returned, and node-soap's XML-to-object mapping is not in question here.
function anomalies(xml) {
  const list = [];
  const re = /<(?:[\w.-]+:)?anomalie\b([^>]*)>/g;
  let m;
  while ((m = re.exec(xml))) list.push(xmlAttrs(m[1]));
  return list;
}

function hasListeAnomalie(xml) {
  return /<(?:[\w.-]+:)?listeAnomalie[\s>/]/.test(xml);
}

function elementText(xml, name) {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</`).exec(xml);
  return m ? m[1] : null;
}

function applicantName(xml) {
  const m = /<(?:[\w.-]+:)?demandeur\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?demandeur>/.exec(xml);
  return m ? elementText(m[1], 'nom') : null;
}

function faultOf(err) {
  const fault = err && err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
  if (!fault) return null;
  const text = (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? String(v.$value ?? '') : String(v));
  // SOAP 1.2 Code/Reason/Detail, SOAP 1.1 faultcode/faultstring/detail.
  const code = fault.Code ? text(fault.Code.Value) : text(fault.faultcode);
  const reason = fault.Reason ? text(fault.Reason.Text) : text(fault.faultstring);
  const detail = fault.Detail || fault.detail;
  const exc = detail && detail.demandeLogementException;
  const message = exc ? text(exc.message) : '';
  return { code, reason, message };
}

function describeError(err) {
  const f = faultOf(err);
  if (f) return `SOAP fault ${f.code}: ${f.message || f.reason}`;
  return err && err.message ? err.message.split('\n')[0].slice(0, 300) : String(err);
}

function dumpExchange(client, call) {
  if (!client) return;
  diag(`${call}: request headers ${JSON.stringify(client.lastRequestHeaders || {})}`);
  diag(`${call}: request envelope ${String(client.lastRequest || '').slice(0, 1500)}`);
  diag(`${call}: response headers ${JSON.stringify(client.lastResponseHeaders || {})}`);
  diag(`${call}: response ${String(client.lastResponse || '').slice(0, 1500)}`);
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const mode = (process.env.NODE_SOAP_MTOM || 'asis').toLowerCase();
  if (!MODES.includes(mode)) usage(`NODE_SOAP_MTOM must be one of ${MODES.join(', ')}`);
  const transfer = {
    off: 'inline base64 (plain SOAP 1.2)',
    asis: 'MTOM as node-soap sends it',
    fixed: 'MTOM, start-info patched to application/soap+xml',
  }[mode];

  fs.mkdirSync(a.out, { recursive: true });
  const ca = fs.readFileSync(a.cacert);
  const mainTls = { cert: fs.readFileSync(a.cert), key: fs.readFileSync(a.key), ca };
  const other = { cert: fs.readFileSync(a['other-cert']), key: fs.readFileSync(a['other-key']), ca };
  const creName = path.basename(FIXTURE_CRE);
  const creBytes = fs.readFileSync(path.join(a.fixtures, FIXTURE_CRE));
  const invalidName = path.basename(FIXTURE_INVALID);
  const invalidBytes = fs.readFileSync(path.join(a.fixtures, FIXTURE_INVALID));
  const applicant = applicantName(creBytes.toString('utf8'));
  const endpoint = a.endpoint;
  const wsdlUrl = `${endpoint}?wsdl`;

  const save = (call, bytes) => fs.writeFileSync(path.join(a.out, `${CLIENT}-${call}.xml`), bytes);

  // Writes the call's raw answer for xmllint; returns null, or why it could not.
  const saveRaw = (call, client) => {
    const r = RAW.get(client) && RAW.get(client).last;
    if (!r) return 'raw response not captured (no HTTP answer received as bytes)';
    try {
      const base = path.join(a.out, `${CLIENT}-${call}.response`);
      fs.writeFileSync(base, r.body);
      fs.writeFileSync(`${base}-headers`, `Content-Type: ${r.contentType}\n`);
      return null;
    } catch (e) {
      diag(`${call}: ${e.stack || e}`);
      return `cannot save the raw response: ${e.message}`;
    }
  };

  // --- wsdl
  let g1104 = null;
  let g2201 = null;
  let g2201Error = null;
  try {
    g1104 = await buildClient(wsdlUrl, mainTls, mode);
    const services = g1104.describe();
    const port = services[SERVICE] && services[SERVICE][PORT];
    const missing = ['getNumUnique', 'getDemandeLogement'].filter((op) => !port || !port[op]);
    if (missing.length) throw new Error(`opérations absentes du port ${SERVICE}/${PORT} : ${missing.join(', ')}`);
    const location = g1104.wsdl.definitions.services[SERVICE].ports[PORT].location;
    if (location !== endpoint) diag(`WSDL port address ${location} differs from --endpoint ${endpoint}`);
    try {
      g2201 = await buildClient(wsdlUrl, other, mode);
    } catch (e) {
      g2201Error = e;
    }
    if (g2201Error) throw new Error(`WSDL not loadable with the other certificate: ${g2201Error.message}`);
    report(true, 'wsdl', `${Object.keys(services[SERVICE]).length} ports, using ${PORT} (SOAP 1.2) at ${location}; ${transfer}`);
  } catch (e) {
    diag(`wsdl: ${e.stack || e}`);
    report(false, 'wsdl', `${String(e.message || e).split('\n')[0].slice(0, 300)}`);
  }

  const noClient = (call, c) => {
    if (c) return false;
    report(false, call, 'no client (WSDL not loaded)');
    return true;
  };

  // Runs one call; `fields` are [name, value] pairs, or {args, callOptions} already built;
  // `check` returns [ok, detail, value] from the decoded answer, and run returns the value.
  async function run(call, client, op, fields, check) {
    if (noClient(call, client)) return undefined;
    const { args, callOptions } = Array.isArray(fields) ? makeRequest(mode, fields) : fields;
    RAW.get(client).last = null;
    let r;
    try {
      r = await invoke(client, op, args, callOptions);
    } catch (e) {
      r = { err: e };
    }
    // Saved whatever the verdict; a passing call whose answer could not be saved fails, or
    // xmllint would silently check fewer envelopes.
    const unsaved = saveRaw(call, client);
    try {
      const [ok, detail, value] = await check(r);
      if (!ok || process.env.NODE_SOAP_TRACE) dumpExchange(client, call);
      if (ok && unsaved) {
        report(false, call, unsaved);
        return value;
      }
      report(ok, call, detail);
      return value;
    } catch (e) {
      dumpExchange(client, call);
      diag(`${call}: ${e.stack || e}`);
      report(false, call, String(e.message || e).split('\n')[0].slice(0, 300));
      return undefined;
    }
  }

  // Decodes `fichierDemande` of a successful answer and saves it.
  function fileOf(call, r, notes) {
    if (r.err) throw new Error(describeError(r.err));
    if (!r.result) throw new Error('réponse sans élément de sortie');
    const file = binaryValue(r.result.fichierDemande, r.mtom, notes);
    if (!file || file.length === 0) throw new Error('fichierDemande absent ou vide');
    save(call, file);
    return file;
  }

  const suffix = (notes) => (notes.size ? ` (${[...notes].join(', ')})` : '');

  // --- getNumUnique.CRE
  let creFile = null;
  const num = await run(
    'getNumUnique.CRE',
    g1104,
    'getNumUnique',
    [['nomFichierDemande', creName], ['fichierDemande', creBytes], ['nomCertificat', ''], ['certificat', Buffer.alloc(0)]],
    (r) => {
      const notes = new Set();
      const file = fileOf('getNumUnique.CRE', r, notes);
      const xml = file.toString('utf8');
      const n = elementText(xml, 'numUnique');
      if (hasListeAnomalie(xml)) return [false, `listeAnomalie in returned file: ${JSON.stringify(anomalies(xml)).slice(0, 200)}`];
      if (!n || !NUM_CRE.test(n)) return [false, `numUnique ${JSON.stringify(n)} does not match ${NUM_CRE}`];
      creFile = file;
      if (r.result.nomAttestation !== `ATT${n}.pdf`) return [false, `nomAttestation ${JSON.stringify(r.result.nomAttestation)} != ATT${n}.pdf`, n];
      const pdf = binaryValue(r.result.attestation, r.mtom, notes);
      if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
        return [false, `attestation does not start with %PDF- (${pdf ? JSON.stringify(pdf.subarray(0, 12).toString('latin1')) : 'absent'})`, n];
      }
      return [true, `numUnique ${n}, ${r.result.nomAttestation} ${pdf.length} bytes${suffix(notes)}`, n];
    },
  );

  // --- getDemandeLogement.relire
  if (!num && g1104) report(false, 'getDemandeLogement.relire', 'no number from getNumUnique.CRE');
  else
    await run(
      'getDemandeLogement.relire',
      g1104,
      'getDemandeLogement',
      [['numUnique', num], ['nomCertificat', ''], ['certificat', Buffer.alloc(0)]],
      (r) => {
        const notes = new Set();
        const file = fileOf('getDemandeLogement.relire', r, notes);
        if (!creFile) return [false, 'no file from getNumUnique.CRE to compare with'];
        if (!file.equals(creFile)) {
          let i = 0;
          while (i < file.length && i < creFile.length && file[i] === creFile[i]) i++;
          return [false, `differs from getNumUnique.CRE file at byte ${i} (${file.length} vs ${creFile.length} bytes)`];
        }
        return [true, `${file.length} bytes, identical to getNumUnique.CRE${suffix(notes)}`];
      },
    );

  // --- getNumUnique.invalide
  const LONG_PATH = 'interfaceNuu/demande/demandeLogement/personnePhysique/demandeur/nom';
  await run(
    'getNumUnique.invalide',
    g1104,
    'getNumUnique',
    [['nomFichierDemande', invalidName], ['fichierDemande', invalidBytes], ['nomCertificat', ''], ['certificat', Buffer.alloc(0)]],
    (r) => {
      const notes = new Set();
      const xml = fileOf('getNumUnique.invalide', r, notes).toString('utf8');
      const list = anomalies(xml);
      const hit = list.find((x) => x.code === 'XSD-LONG' && x.propriete === LONG_PATH);
      if (!hasListeAnomalie(xml) || !hit) return [false, `no anomalie XSD-LONG on ${LONG_PATH}: ${JSON.stringify(list).slice(0, 250)}`];
      return [true, `anomalie XSD-LONG propriete=${LONG_PATH}${suffix(notes)}`];
    },
  );

  // --- getDemandeLogement.inconnu
  await run(
    'getDemandeLogement.inconnu',
    g1104,
    'getDemandeLogement',
    [['numUnique', UNKNOWN_NUM], ['nomCertificat', ''], ['certificat', Buffer.alloc(0)]],
    (r) => {
      const notes = new Set();
      const xml = fileOf('getDemandeLogement.inconnu', r, notes).toString('utf8');
      const list = anomalies(xml);
      if (!list.some((x) => x.code === 'DEM-INC')) return [false, `no anomalie DEM-INC: ${JSON.stringify(list).slice(0, 250)}`];
      return [true, `anomalie DEM-INC for ${UNKNOWN_NUM}${suffix(notes)}`];
    },
  );

  // --- getDemandeLogement.autreTerritoire
  if (!num && g2201) report(false, 'getDemandeLogement.autreTerritoire', 'no number from getNumUnique.CRE');
  else
    await run(
      'getDemandeLogement.autreTerritoire',
      g2201,
      'getDemandeLogement',
      [['numUnique', num], ['nomCertificat', ''], ['certificat', Buffer.alloc(0)]],
      (r) => {
        const notes = new Set();
        const xml = fileOf('getDemandeLogement.autreTerritoire', r, notes).toString('utf8');
        const list = anomalies(xml);
        if (!list.some((x) => x.code === 'DEM-INC')) return [false, `no anomalie DEM-INC: ${JSON.stringify(list).slice(0, 250)}`];
        if (!applicant) return [false, 'applicant nom not found in the fixture'];
        if (xml.includes(applicant)) return [false, "returned file contains the applicant's nom"];
        return [true, `anomalie DEM-INC as G2201, applicant nom absent${suffix(notes)}`];
      },
    );

  // --- getNumUnique.fauteGuichet
  await run(
    'getNumUnique.fauteGuichet',
    g2201,
    'getNumUnique',
    [['nomFichierDemande', creName], ['fichierDemande', creBytes], ['nomCertificat', ''], ['certificat', Buffer.alloc(0)]],
    (r) => {
      if (!r.err) return [false, `no SOAP fault, answer: ${JSON.stringify(r.result).slice(0, 200)}`];
      const f = faultOf(r.err);
      if (!f) return [false, `error without SOAP fault: ${describeError(r.err)}`];
      const text = f.message || f.reason;
      const where = f.message ? 'demandeLogementException/message' : 'Reason';
      if (!text.includes('G2201') || !text.includes('G1104')) return [false, `fault ${f.code} ${where} does not name G2201 and G1104: ${text}`];
      return [true, `fault ${f.code}, ${where}: ${text}`];
    },
  );

  const crs = await cycle({ g1104, num, creFile, creBytes, creName, run, fileOf, suffix, binaryValue, save });
  await pieces({ a, mode, transfer, mainTls, other, crs, run, suffix, binaryValue });
  await fichiersXml({ a, mode, transfer, mainTls, crs, run, suffix, binaryValue, save });
}


// Calls of the lifecycle, after the fixed ones: `ctx` holds the clients, the CRE's number and
// file, and the helpers of main().
async function cycle(ctx) {
  const { g1104, num, creFile, creBytes, creName, run, fileOf, suffix, binaryValue, save } = ctx;
  if (!num || !creFile) {
    for (const call of ['getNumUnique.MOD', 'getNumUnique.REN', 'getNumUnique.CRS', 'getDoublons', 'getDeclarationNouveauDalo', 'getNouveauxDaloDepuisLe', 'getNumUnique.RAD', 'getDemandesRadieesDepuisLe', 'getNumUnique.SUP']) {
      report(false, call, 'no number from getNumUnique.CRE');
    }
    return;
  }
  const empty = Buffer.alloc(0);
  const accepted = (xml, increment) => {
    if (hasListeAnomalie(xml)) return [false, `listeAnomalie: ${JSON.stringify(anomalies(xml)).slice(0, 200)}`];
    if (elementText(xml, 'numUnique') !== num) return [false, `numUnique ${elementText(xml, 'numUnique')} != ${num}`];
    const inc = elementText(xml, 'incrementFichier');
    if (increment !== undefined && inc !== String(increment)) return [false, `incrementFichier ${inc} != ${increment}`];
    return [true, `numUnique ${num}, incrementFichier ${inc}`];
  };
  const numUnique = (call, file, check) =>
    run(call, g1104, 'getNumUnique', [['nomFichierDemande', creName], ['fichierDemande', file], ['nomCertificat', ''], ['certificat', empty]], (r) => {
      const notes = new Set();
      const xml = fileOf(call, r, notes).toString('utf8');
      const [ok, detail, value] = check(xml, r, notes);
      return [ok, detail + suffix(notes), value];
    });
  const out = (call, r, field, notes) => {
    if (r.err) throw new Error(describeError(r.err));
    const file = binaryValue(r.result[field], r.mtom, notes);
    if (!file || file.length === 0) throw new Error(`${field} absent ou vide`);
    save(call, file);
    return file.toString('utf8');
  };
  const inList = (xml, type) => {
    if (!/versionInterface="01\.00"/.test(xml)) return [false, 'not an interfaceNuu 01.00 list'];
    if (elementText(xml, 'typeFichier') !== type) return [false, `typeFichier ${elementText(xml, 'typeFichier')} != ${type}`];
    if (!xml.includes(`<ns2:numUnique>${num}</ns2:numUnique>`)) return [false, `${num} not in the list`];
    return [true, `${num} listed`];
  };

  await numUnique('getNumUnique.MOD', asType(creFile, 'MOD'), (xml) => accepted(xml, 2));
  await numUnique('getNumUnique.REN', withBlock(asType(creFile, 'REN'), `<ns2:renouvellement><ns2:dateRenouvellement>${today()}</ns2:dateRenouvellement></ns2:renouvellement>`), (xml) =>
    anomalies(xml).some((a) => a.code === 'REN-FEN') ? [true, 'anomalie REN-FEN (renewal window not open yet)'] : [false, `no REN-FEN: ${JSON.stringify(anomalies(xml))}`]);
  const crs = Buffer.from(asType(creBytes, 'CRS').toString('utf8').replace('<ns2:dateCreationDemande>', `<ns2:numUniqueAssocie>${num}</ns2:numUniqueAssocie><ns2:dateCreationDemande>`), 'utf8');
  const crsNum = await numUnique('getNumUnique.CRS', crs, (xml, r, notes) => {
    const n = elementText(xml, 'numUnique');
    if (hasListeAnomalie(xml)) return [false, `listeAnomalie: ${JSON.stringify(anomalies(xml)).slice(0, 200)}`];
    if (!n || !NUM_CRE.test(n) || n === num) return [false, `numUnique ${n} is not a new number`];
    const pdf = binaryValue(r.result.attestation, r.mtom, notes);
    if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return [false, 'no PDF attestation'];
    return [true, `new numUnique ${n}, associated with ${num}`, n];
  });
  await run('getDoublons', g1104, 'getDoublons', [['nomFichierDemande', creName], ['fichierDemande', creBytes]], (r) => {
    const notes = new Set();
    const liste = out('getDoublons.listeDoublons', r, 'listeDoublons', notes);
    out('getDoublons', r, 'fichierDemande', notes);
    if (!/<ns2:listeDoublons[ >]/.test(liste) || !liste.includes(`<ns2:numUnique>${num}</ns2:numUnique>`)) return [false, `${num} not in listeDoublons`];
    return [true, `listeDoublons names ${num}${suffix(notes)}`];
  });
  await run('getDeclarationNouveauDalo', g1104, 'getDeclarationNouveauDalo', [['nomFichierDalo', 'DALO.xml'], ['fichierDalo', asType(creFile, 'MOD')], ['nomCertificat', ''], ['certificat', empty]], (r) => {
    const notes = new Set();
    const [ok, detail] = accepted(out('getDeclarationNouveauDalo', r, 'fichierDalo', notes));
    return [ok, detail + suffix(notes)];
  });
  await run('getNouveauxDaloDepuisLe', g1104, 'getNouveauxDaloDepuisLe', [['dateNouveauDaloDepuisLe', `${today()}T00:00:00`], ['nomCertificat', ''], ['certificat', empty]], (r) => {
    const notes = new Set();
    const [ok, detail] = inList(out('getNouveauxDaloDepuisLe', r, 'fichierNouveauxDalo', notes), 'LDA');
    return [ok, detail + suffix(notes)];
  });
  await numUnique('getNumUnique.RAD', withBlock(asType(creFile, 'RAD'), `<ns2:radiation><ns2:dateRadiation>${today()}</ns2:dateRadiation><ns2:motifRadiation code="RADABA"/></ns2:radiation>`), (xml) => accepted(xml));
  await run('getDemandesRadieesDepuisLe', g1104, 'getDemandesRadieesDepuisLe', [['dateRadiationDepuisLe', `${today()}T00:00:00`], ['motifRadiation', { attributes: { code: 'RADABA' } }], ['nomCertificat', ''], ['certificat', empty]], (r) => {
    const notes = new Set();
    const [ok, detail] = inList(out('getDemandesRadieesDepuisLe', r, 'fichierDemandesRadiees', notes), 'LRA');
    return [ok, detail + suffix(notes)];
  });
  await numUnique('getNumUnique.SUP', asType(creFile, 'SUP'), (xml) => accepted(xml));
  return crsNum;
}

// --- the dossier unique (PROTOCOL.md, "Calls of the dossier unique")
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n'
  + '<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const GIF = Buffer.from('GIF89a\x01\x00\x01', 'latin1');
const ID_PIECE = /^PJ[0-9a-f]{24}$/;

// A 1x1 greyscale PNG: signature, IHDR, IEND (zlib.crc32 is in Node.js 20.15+ and 22.2+ only).
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, crc]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG = png();

const listOf = (v) => (v === undefined || v === null ? [] : [].concat(v));
const codesOf = (x) => listOf(x && x.listeAnomalie && x.listeAnomalie.anomalie).map((a) => a.attributes && a.attributes.code);

// Calls of the document service, on the application getNumUnique.CRS registered (`ctx.crs`).
async function pieces(ctx) {
  const { a, mode, transfer, mainTls, other, crs, run, suffix, binaryValue } = ctx;
  const endpoint = a.endpoint.replace(SERVICE, PIECES_SERVICE);
  const calls = ['deposerPiece', 'deposerPiece.refus', 'deposerLotPieces', 'listerPieces', 'getPiece', 'getPiece.autreTerritoire', 'qualifierPiece', 'getEtatDossier', 'supprimerPiece'];
  let p1104 = null;
  let p2201 = null;
  try {
    p1104 = await buildClient(`${endpoint}?wsdl`, mainTls, mode);
    p2201 = await buildClient(`${endpoint}?wsdl`, other, mode);
    for (const c of [p1104, p2201]) PORT_OF.set(c, [PIECES_SERVICE, PIECES_PORT]);
    const port = p1104.describe()[PIECES_SERVICE] && p1104.describe()[PIECES_SERVICE][PIECES_PORT];
    const missing = ['deposerPiece', 'deposerLotPieces', 'listerPieces', 'getPiece', 'qualifierPiece', 'supprimerPiece', 'getEtatDossier'].filter((op) => !port || !port[op]);
    if (missing.length) throw new Error(`operations missing from ${PIECES_SERVICE}/${PIECES_PORT}: ${missing.join(', ')}`);
    report(true, 'pieces.wsdl', `${PIECES_PORT} (SOAP 1.2) at ${endpoint}, ${Object.keys(port).length} operations; ${transfer}`);
  } catch (e) {
    diag(`pieces.wsdl: ${e.stack || e}`);
    report(false, 'pieces.wsdl', String(e.message || e).split('\n')[0].slice(0, 300));
    for (const call of calls) report(false, call, 'no client of the document service');
    return;
  }
  if (!crs) {
    for (const call of calls) report(false, call, 'no application from getNumUnique.CRS');
    return;
  }
  // Runs one call of the document service; `check(result, notes)` -> [ok, detail, value].
  const call = (name, client, op, request, check) =>
    run(name, client, op, request, (r) => {
      if (r.err) throw new Error(describeError(r.err));
      if (!r.result) throw new Error('answer without output element');
      const notes = new Set();
      const [ok, detail, value] = check(r.result, notes, r);
      return [ok, detail + suffix(notes), value];
    });
  const deposit = (entry) => {
    const { pieces: [piece], callOptions } = piecesRequest(mode, [entry]);
    return { args: piece, callOptions };
  };
  const byId = (id) => [['idPiece', id]];
  const none = (x) => (codesOf(x).length ? `, listeAnomalie ${codesOf(x).join(' ')}` : '');

  const sha = crypto.createHash('sha256').update(PDF).digest('hex');
  const idDepot = await call('deposerPiece', p1104, 'deposerPiece', deposit([crs, 'IDENTITE', 'cni.pdf', PDF, 'application/pdf']), (x) => {
    const ok = ID_PIECE.test(x.idPiece || '') && x.empreinte === sha && Number(x.taille) === PDF.length && x.statut === 'DEPOSEE' && !codesOf(x).length;
    const got = `idPiece ${x.idPiece}, empreinte ${x.empreinte}, taille ${x.taille}, statut ${x.statut}${none(x)}`;
    return [ok, ok ? `${x.idPiece}, ${PDF.length} bytes, SHA-256 ${sha.slice(0, 12)}..., DEPOSEE, ${transfer}` : `${got}; expected SHA-256 ${sha}, ${PDF.length} bytes, DEPOSEE`, ID_PIECE.test(x.idPiece || '') ? x.idPiece : undefined];
  });
  await call('deposerPiece.refus', p1104, 'deposerPiece', deposit([crs, 'IDENTITE', 'cni.pdf', GIF, 'application/pdf']), (x) =>
    (codesOf(x).includes('PIE-FORMAT') && !x.idPiece ? [true, 'anomalie PIE-FORMAT'] : [false, `anomalies [${codesOf(x)}], idPiece ${x.idPiece} (expected PIE-FORMAT, no idPiece)`]));
  const lot = piecesRequest(mode, [[crs, 'AVISIMPOT', 'avis.png', PNG, 'image/png'], ['1111126999999G1104', 'REVENUS', 'x.pdf', PDF, 'application/pdf']]);
  const idAvis = await call('deposerLotPieces', p1104, 'deposerLotPieces', { args: { piece: lot.pieces }, callOptions: lot.callOptions }, (x) => {
    const res = listOf(x.resultat);
    const [r1, r2] = res;
    const id = r1 && ID_PIECE.test(r1.idPiece || '') && !codesOf(r1).length ? r1.idPiece : undefined;
    const ok = res.length === 2 && id && String(r1.rang) === '1' && String(r2.rang) === '2' && codesOf(r2).includes('DEM-INC') && !r2.idPiece;
    return [ok, ok ? `rang 1 ${id}, rang 2 DEM-INC, ${transfer}` : `resultat ${JSON.stringify(res).slice(0, 300)} (expected rang 1 deposited, rang 2 DEM-INC)`, id];
  });
  if (!idDepot || !idAvis) {
    for (const c of calls.slice(3)) report(false, c, 'not run: no idPiece from deposerPiece or deposerLotPieces');
    return;
  }
  await call('listerPieces', p1104, 'listerPieces', [['numUnique', crs]], (x) => {
    const seen = listOf(x.piece).map((p) => `${p.idPiece} ${p.codeCategorie} ${p.nomFichier}`);
    const want = [`${idDepot} IDENTITE cni.pdf`, `${idAvis} AVISIMPOT avis.png`];
    const ok = JSON.stringify(seen) === JSON.stringify(want) && !codesOf(x).length;
    return [ok, ok ? '2 pieces: IDENTITE cni.pdf, then AVISIMPOT avis.png' : `pieces ${JSON.stringify(seen)}, expected ${JSON.stringify(want)}${none(x)}`];
  });
  await call('getPiece', p1104, 'getPiece', byId(idDepot), (x, notes, r) => {
    const content = binaryValue(x.fichier, r.mtom, notes);
    if (content) fs.writeFileSync(path.join(a.out, `${CLIENT}-getPiece.pdf`), content);
    const id = x.piece && x.piece.idPiece;
    const ok = id === idDepot && content && content.equals(PDF) && !codesOf(x).length;
    return [ok, ok ? `${idDepot}, ${content.length} bytes identical to the PDF deposited` : `piece/idPiece ${id}, fichier ${content ? content.length : 'absent'} bytes${none(x)} (expected ${idDepot}, the PDF)`];
  });
  await call('getPiece.autreTerritoire', p2201, 'getPiece', byId(idDepot), (x) =>
    (codesOf(x).includes('PIE-INC') && !x.piece && !x.fichier ? [true, 'anomalie PIE-INC as G2201'] : [false, `anomalies [${codesOf(x)}], piece ${!!x.piece}, fichier ${!!x.fichier} (expected PIE-INC only)`]));
  await call('qualifierPiece', p1104, 'qualifierPiece', [['idPiece', idAvis], ['statut', 'INEXPLOITABLE'], ['motif', 'illisible']], (x) => {
    const p = x.piece || {};
    const ok = p.statut === 'INEXPLOITABLE' && p.motifStatut === 'illisible' && !codesOf(x).length;
    return [ok, ok ? 'piece INEXPLOITABLE (illisible)' : `statut ${p.statut} motifStatut ${p.motifStatut}${none(x)}`];
  });
  await call('getEtatDossier', p1104, 'getEtatDossier', [['numUnique', crs]], (x) => {
    const etapes = Object.fromEntries(listOf(x.etape).map((e) => [e.code, e]));
    const enr = etapes.ENREGISTREMENT;
    const com = etapes.COMMISSION;
    const avis = listOf(com && com.exigence).find((e) => listOf(e.codeCategorie).includes('AVISIMPOT'));
    const ok = enr && String(enr.complet) === 'true' && com && String(com.complet) === 'false' && avis && avis.etat === 'INEXPLOITABLE';
    return [ok, ok ? 'ENREGISTREMENT complet, COMMISSION incomplet (AVISIMPOT INEXPLOITABLE)' : `etapes ${JSON.stringify(x.etape).slice(0, 300)}`];
  });
  await call('supprimerPiece', p1104, 'supprimerPiece', byId(idDepot), (x) =>
    (x.idPiece === idDepot && !codesOf(x).length ? [true, `${idDepot} deleted`] : [false, `idPiece ${x.idPiece}${none(x)}, expected ${idDepot}`]));
}

// --- the search and the shared events (PROTOCOL.md, "Calls of the search and the shared events")
// Camille MARTIN, born DURAND, the fixture's applicant: her birth name with an accent, in lower
// case, her first name in capitals (the search ignores accents, case, spaces and hyphens).
const PERSONNE_NOM = 'dûrand';
const PERSONNE_PRENOM = 'CAMILLE';
const LIEU = 'Guichet de Toulouse, entrée B';
const LIEU_MODIFIE = 'Téléphone';
const NOM_RECHERCHE = 'RMC-G1104.xml';
const NOM_TYPES = 'TEVT-G1104.xml';
const NOM_EVENEMENTS = 'EVT-G1104.xml';
const EVENEMENTS_OPS = ['listerTypesEvenementsNationaux', 'listerTypesEvenementsTerritoriaux', 'listerEvenementsDemande', 'ajouterEvenementDemande', 'modifierEvenementDemande', 'supprimerEvenementDemande'];

function nowParis() {
  // sv-SE formats as `YYYY-MM-DD HH:MM:SS`.
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(new Date()).replace(' ', 'T');
}
const entete = (type) => `<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="${NUU_NS}" versionInterface="02.00"><ns2:entete><ns2:typeFichier>${type}</ns2:typeFichier><ns2:dateFichier>${nowParis()}</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete>`;
const fichierRecherche = (criteres) => Buffer.from(`${entete('RMC')}<ns2:operation><ns2:demandeMulticritere>${criteres}</ns2:demandeMulticritere></ns2:operation></ns2:interfaceNuu>`, 'utf8');
const fichierTypes = (territoire) => Buffer.from(`${entete('TEVT')}${territoire ? `<ns2:operation><ns2:codeTerritoire>${territoire}</ns2:codeTerritoire></ns2:operation>` : ''}</ns2:interfaceNuu>`, 'utf8');
const fichierEvenements = (num, evenement) => Buffer.from(`${entete('EVT')}<ns2:operation><ns2:numUnique>${num}</ns2:numUnique></ns2:operation>${evenement ? `<ns2:listeEvenements>${evenement}</ns2:listeEvenements>` : ''}</ns2:interfaceNuu>`, 'utf8');
const lieu = (v) => `<ns2:listeCaracteristiquesSpecifiques><ns2:caracteristiqueSpecifique><ns2:code>LIEU</ns2:code><ns2:valeurCaracteristiqueSpecifique>${v}</ns2:valeurCaracteristiqueSpecifique></ns2:caracteristiqueSpecifique></ns2:listeCaracteristiquesSpecifiques>`;
const parIdEvenement = (id) => `<ns2:evenement><ns2:idEvenement>${id}</ns2:idEvenement></ns2:evenement>`;

// The returned files are read with regular expressions, like the application files above.
const blocks = (xml, name) => {
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`, 'g');
  const found = [];
  let m;
  while ((m = re.exec(xml))) found.push(m[1]);
  return found;
};
const anomalyCodes = (xml) => blocks(xml, 'listeAnomalies').flatMap((l) => anomalies(l).map((x) => x.code));
// {idEvenement: {child: text, characteristic code: value}} of listeEvenements, in order.
function evenementsOf(xml) {
  const evts = new Map();
  for (const liste of blocks(xml, 'listeEvenements')) {
    for (const e of blocks(liste, 'evenement')) {
      const champs = {};
      const simple = /<(?:[\w.-]+:)?(\w+)(?:\s[^>]*)?>([^<]*)<\/(?:[\w.-]+:)?\1>/g;
      let m;
      const head = e.replace(/<(?:[\w.-]+:)?listeCaracteristiquesSpecifiques\b[\s\S]*<\/(?:[\w.-]+:)?listeCaracteristiquesSpecifiques>/, '');
      while ((m = simple.exec(head))) champs[m[1]] = m[2];
      for (const c of blocks(e, 'caracteristiqueSpecifique')) champs[elementText(c, 'code')] = elementText(c, 'valeurCaracteristiqueSpecifique');
      evts.set(champs.idEvenement, champs);
    }
  }
  return evts;
}

// Calls of the search and event services, on the application getNumUnique.CRS registered.
async function fichiersXml(ctx) {
  const { a, mode, transfer, mainTls, crs, run, suffix, binaryValue, save } = ctx;
  const clients = {};
  const wsdl = async (call, service, port, ops) => {
    const endpoint = a.endpoint.replace(SERVICE, service);
    try {
      const c = await buildClient(`${endpoint}?wsdl`, mainTls, mode);
      PORT_OF.set(c, [service, port]);
      const described = c.describe()[service] && c.describe()[service][port];
      const missing = ops.filter((op) => !described || !described[op]);
      if (missing.length) throw new Error(`operations missing from ${service}/${port}: ${missing.join(', ')}`);
      clients[service] = c;
      report(true, call, `${port} (SOAP 1.2) at ${endpoint}, ${Object.keys(described).length} operations; ${transfer}`);
    } catch (e) {
      diag(`${call}: ${e.stack || e}`);
      report(false, call, String(e.message || e).split('\n')[0].slice(0, 300));
    }
  };
  // One call on fichierXmlParametres; `check(xml)` -> [ok, detail, value] on the file returned.
  const fichierXml = (call, service, op, nom, file, check) => {
    const client = clients[service];
    if (!client) {
      report(false, call, `no client of ${service} (its wsdl call failed)`);
      return undefined;
    }
    return run(call, client, op, [['nomFichier', nom], ['fichierXml', file], ['nomCertificat', '']], (r) => {
      if (r.err) throw new Error(describeError(r.err));
      if (!r.result) throw new Error('answer without output element');
      const notes = new Set();
      const back = binaryValue(r.result.fichierXmlRetour, r.mtom, notes);
      if (!back || back.length === 0) throw new Error('fichierXmlRetour absent or empty');
      save(call, back);
      const raw = RAW.get(client).last;
      const sent = raw ? raw.requestContentType : '';
      if (!sent.includes(`action="${WS_NS}${op}"`)) return [false, `request Content-Type does not carry the action ${WS_NS}${op}: ${sent}`];
      if (r.result.nomFichierXmlRetour !== nom) return [false, `nomFichierXmlRetour ${r.result.nomFichierXmlRetour}, expected ${nom}`];
      const [ok, detail, value] = check(back.toString('utf8'));
      return [ok, `${detail}, action ${op} on the ${sent.startsWith('multipart/') ? 'multipart ' : ''}Content-Type, ${transfer}${suffix(notes)}`, value];
    });
  };
  const noAnomaly = (xml) => (anomalyCodes(xml).length ? `listeAnomalies present: ${anomalyCodes(xml).join(' ')}` : null);
  const found = (echo) => (xml) => {
    const nums = blocks(xml, 'listeDemandes').flatMap((l) => blocks(l, 'numUnique'));
    const bad = noAnomaly(xml) || (!nums.includes(crs) && `${crs} not in listeDemandes ${JSON.stringify(nums)}`)
      || (echo && !xml.includes(echo) && `the answer does not echo the criterion ${echo} byte for byte`);
    return bad ? [false, bad] : [true, `${nums.length} application(s), ${crs} among them${echo ? `; ${echo} echoed` : ''}`];
  };
  // An answer holding one event with the fields `want`; its id is the value.
  const unEvenement = (want, id) => (xml) => {
    const evts = evenementsOf(xml);
    const bad = noAnomaly(xml) || (evts.size !== 1 && `${evts.size} evenement(s) in listeEvenements, expected 1`);
    if (bad) return [false, bad];
    const [[got, champs]] = [...evts];
    if (!/^[0-9]+$/.test(got || '') || (id && got !== id)) return [false, `idEvenement ${got}${id ? `, expected ${id}` : ' is not a number'}`];
    const wrong = Object.entries(want).filter(([k, v]) => champs[k] !== v).map(([k, v]) => `${k} ${champs[k]}, expected ${v}`);
    if (wrong.length) return [false, wrong.join('; '), got];
    return [true, `idEvenement ${got}: ${Object.entries(want).map(([k, v]) => `${k} ${v}`).join(', ')}`, got];
  };

  const rechercheCalls = ['rechercheDemandeMulticritere.personne', 'rechercheDemandeMulticritere.commune', 'rechercheDemandeMulticritere.refus'];
  const evenementCalls = ['listerTypesEvenementsNationaux', 'listerTypesEvenementsTerritoriaux', 'ajouterEvenementDemande', 'ajouterEvenementDemande.reglementaire', 'listerEvenementsDemande', 'modifierEvenementDemande', 'supprimerEvenementDemande', 'supprimerEvenementDemande.refus'];
  await wsdl('recherche.wsdl', RECHERCHE_SERVICE, RECHERCHE_PORT, ['rechercheDemandeMulticritere']);
  await wsdl('evenements.wsdl', EVENEMENTS_SERVICE, EVENEMENTS_PORT, EVENEMENTS_OPS);
  if (!crs) {
    for (const call of [...rechercheCalls, ...evenementCalls]) report(false, call, 'no application from getNumUnique.CRS');
    return;
  }
  const recherche = (call, criteres, check) => fichierXml(call, RECHERCHE_SERVICE, 'rechercheDemandeMulticritere', NOM_RECHERCHE, fichierRecherche(criteres), check);
  await recherche('rechercheDemandeMulticritere.personne', `<ns2:personneRecherchee><ns2:nom>${PERSONNE_NOM}</ns2:nom><ns2:prenom>${PERSONNE_PRENOM}</ns2:prenom></ns2:personneRecherchee>`, found(`<ns2:nom>${PERSONNE_NOM}</ns2:nom>`));
  await recherche('rechercheDemandeMulticritere.commune', `<ns2:dateDepotDebut>${today()}</ns2:dateDepotDebut><ns2:dateDepotFin>${today()}</ns2:dateDepotFin><ns2:communeSouhaitee>31555</ns2:communeSouhaitee>`, found(null));
  await recherche('rechercheDemandeMulticritere.refus', '<ns2:etatDemande>X</ns2:etatDemande>', (xml) =>
    (anomalyCodes(xml).includes('RCH-ETAT') && !blocks(xml, 'listeDemandes').length ? [true, 'anomalie RCH-ETAT'] : [false, `anomalies [${anomalyCodes(xml)}] (expected RCH-ETAT, no listeDemandes)`]));

  const evenement = (call, op, nom, file, check) => fichierXml(call, EVENEMENTS_SERVICE, op, nom, file, check);
  await evenement('listerTypesEvenementsNationaux', 'listerTypesEvenementsNationaux', NOM_TYPES, fichierTypes(), (xml) => {
    const types = {};
    for (const liste of blocks(xml, 'listeTypesEvenements')) {
      for (const t of blocks(liste, 'typeEvenement')) {
        const caracs = blocks(t, 'caracteristiqueSpecifique').map((c) => ` ${elementText(c, 'code')}=${elementText(c, 'obligatoire')}`).join('');
        const head = t.replace(/<(?:[\w.-]+:)?listeCaracteristiquesSpecifiques\b[\s\S]*$/, '');
        types[elementText(t, 'codeTypeEvenement')] = `${elementText(head, 'reglementaire')}${caracs}`;
      }
    }
    const want = { ENTRETIEN: 'false LIEU=false', CALPASSAGE: 'true', PIECESDEM: 'false CATEGORIE=true' };
    const wrong = Object.entries(want).filter(([k, v]) => types[k] !== v).map(([k, v]) => `type ${k}: ${types[k]}, expected ${v}`);
    const bad = noAnomaly(xml) || wrong.join('; ');
    return bad ? [false, bad] : [true, `${Object.keys(types).length} national types, ENTRETIEN (LIEU optional), CALPASSAGE (regulatory), PIECESDEM (CATEGORIE required)`];
  });
  await evenement('listerTypesEvenementsTerritoriaux', 'listerTypesEvenementsTerritoriaux', NOM_TYPES, fichierTypes('111'), (xml) => {
    const echo = blocks(xml, 'operation').map((o) => elementText(o, 'codeTerritoire'))[0];
    const types = blocks(xml, 'listeTypesEvenements').flatMap((l) => blocks(l, 'typeEvenement'));
    const autres = types.filter((t) => elementText(t.replace(/<(?:[\w.-]+:)?listeCaracteristiquesSpecifiques\b[\s\S]*$/, ''), 'codeTerritoire') !== '111');
    const bad = noAnomaly(xml) || (echo !== '111' && `operation/codeTerritoire ${echo}, expected 111`) || (autres.length && `${autres.length} type(s) not of territory 111`);
    return bad ? [false, bad] : [true, `${types.length} type(s) of territory 111`];
  });
  const ajout = (call, evt, want) => evenement(call, 'ajouterEvenementDemande', NOM_EVENEMENTS, fichierEvenements(crs, evt), unEvenement(want));
  const idEntretien = await ajout('ajouterEvenementDemande', `<ns2:evenement><ns2:codeTypeEvenement>ENTRETIEN</ns2:codeTypeEvenement><ns2:dateSurvenance>${today()}</ns2:dateSurvenance><ns2:commentaire>Entretien d'accueil.</ns2:commentaire>${lieu(LIEU)}</ns2:evenement>`,
    { codeTypeEvenement: 'ENTRETIEN', auteurCreation: 'G1104', reglementaire: 'false', LIEU });
  const idCal = await ajout('ajouterEvenementDemande.reglementaire', `<ns2:evenement><ns2:codeTypeEvenement>CALPASSAGE</ns2:codeTypeEvenement><ns2:dateSurvenance>${today()}</ns2:dateSurvenance></ns2:evenement>`,
    { codeTypeEvenement: 'CALPASSAGE', reglementaire: 'true' });
  if (!idEntretien || !idCal) {
    for (const call of evenementCalls.slice(4)) report(false, call, 'not run: no idEvenement from ajouterEvenementDemande or ajouterEvenementDemande.reglementaire');
    return;
  }
  await evenement('listerEvenementsDemande', 'listerEvenementsDemande', NOM_EVENEMENTS, fichierEvenements(crs, ''), (xml) => {
    const evts = evenementsOf(xml);
    const e = evts.get(idEntretien) || {};
    const bad = noAnomaly(xml)
      || (JSON.stringify([...evts.keys()]) !== JSON.stringify([idEntretien, idCal]) && `events ${JSON.stringify([...evts.keys()])}, expected [${idEntretien}, ${idCal}]`)
      || ((e.codeTypeEvenement !== 'ENTRETIEN' || e.LIEU !== LIEU) && `event ${idEntretien}: ${e.codeTypeEvenement} LIEU ${e.LIEU}`);
    return bad ? [false, bad] : [true, `${idEntretien} ENTRETIEN (LIEU ${LIEU}), then ${idCal} CALPASSAGE`];
  });
  await evenement('modifierEvenementDemande', 'modifierEvenementDemande', NOM_EVENEMENTS,
    fichierEvenements(crs, `<ns2:evenement><ns2:idEvenement>${idEntretien}</ns2:idEvenement><ns2:natureModification>CORR</ns2:natureModification><ns2:dateSurvenance>${today()}</ns2:dateSurvenance><ns2:commentaire>Entretien d'accueil, par téléphone.</ns2:commentaire>${lieu(LIEU_MODIFIE)}</ns2:evenement>`),
    unEvenement({ natureModification: 'CORR', auteurModification: 'G1104', LIEU: LIEU_MODIFIE }, idEntretien));
  await evenement('supprimerEvenementDemande', 'supprimerEvenementDemande', NOM_EVENEMENTS, fichierEvenements(crs, parIdEvenement(idEntretien)),
    unEvenement({ natureModification: 'SUPPR' }, idEntretien));
  await evenement('supprimerEvenementDemande.refus', 'supprimerEvenementDemande', NOM_EVENEMENTS, fichierEvenements(crs, parIdEvenement(idCal)), (xml) =>
    (anomalyCodes(xml).includes('EVT-REGL') ? [true, `anomalie EVT-REGL (${idCal} CALPASSAGE is regulatory)`] : [false, `anomalies [${anomalyCodes(xml)}] (expected EVT-REGL)`]));
}

main().then(
  () => process.exit(0),
  (e) => {
    diag(`crash: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  },
);
