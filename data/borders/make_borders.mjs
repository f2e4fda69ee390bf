// Builds countries.geojson, the country borders forgehive ships, from the npm package
// @rapideditor/country-coder (its src/data/borders.json). One feature per ISO 3166-1 alpha-2 code,
// holding every polygon that country-coder's iso1A2Code() resolves to that code; coordinates are
// copied unchanged (the source has 5 decimals). See README.md.
//   mkdir /tmp/cc && cd /tmp/cc && npm install @rapideditor/country-coder@5.6.1
//   NODE_PATH=/tmp/cc/node_modules node data/borders/make_borders.mjs > data/borders/countries.geojson
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'x.js'));
const cc = require('@rapideditor/country-coder');
const packageDir = path.join(process.env.NODE_PATH ?? 'node_modules', '@rapideditor', 'country-coder');
const version = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;

// country-coder's levels, finest first; iso1A2Code() answers at the 'country' level by default.
const levels = ['subterritory', 'territory', 'subcountryGroup', 'country', 'sharedLandform', 'intermediateRegion',
  'subregion', 'region', 'subunion', 'union', 'unitedNations', 'world'];
const countryLevel = levels.indexOf('country');

// The code iso1A2Code() gives for a point inside `feature` when it is the smallest feature there:
// the country the feature belongs to, else the feature itself, else the first enclosing group at
// country level or above that has a code (none for e.g. Bir Tawil and Northern Cyprus).
function codeFor(feature) {
  const props = feature.properties;
  const country = cc.feature(props.country || props.iso1A2 || '');
  if (country?.properties.iso1A2) return country.properties.iso1A2;
  const groups = props.groups.map((id) => cc.feature(id)).filter(Boolean);
  groups.sort((a, b) => levels.indexOf(a.properties.level) - levels.indexOf(b.properties.level));
  const group = groups.find((g) => levels.indexOf(g.properties.level) >= countryLevel && g.properties.iso1A2);
  return group ? group.properties.iso1A2 : null;
}

const polygonsByCode = new Map();
for (const feature of cc.borders.features) {
  if (!feature.geometry) continue;
  const code = codeFor(feature);
  if (!code) continue;
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  if (!polygonsByCode.has(code)) polygonsByCode.set(code, []);
  polygonsByCode.get(code).push(...polygons);
}

const features = [...polygonsByCode.keys()].sort().map((code) => ({
  type: 'Feature',
  properties: { iso1A2: code, nameEn: cc.feature(code).properties.nameEn },
  geometry: { type: 'MultiPolygon', coordinates: polygonsByCode.get(code) },
}));
const collection = {
  type: 'FeatureCollection',
  source: `@rapideditor/country-coder ${version} src/data/borders.json (ISC licence, see LICENSE.country-coder.md)`,
  features,
};
// One feature per line keeps diffs of a regenerated file readable.
const lines = features.map((f) => JSON.stringify(f));
process.stdout.write(
  `{"type":"FeatureCollection","source":${JSON.stringify(collection.source)},"features":[\n${lines.join(',\n')}\n]}\n`);
