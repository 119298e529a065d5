#!/usr/bin/env python3
"""Extracts Vietnam's administrative units from the `vietnam-provinces` wheel into one JSON file.

Usage: extract-admin-units.py WHEEL OUT.json

The wheel (GPL-3.0-or-later, by Nguyễn Hồng Quân, data from the national statistics office) is fetched at
setup by scripts/setup.sh and never copied into this repository. This script reads the wheel as a zip file
and parses its data modules with `ast`: it never imports or runs the package's code, so any Python 3.8+
works even though the package itself asks for Python 3.12.

What it extracts (codes are the official ones, zero-padded: province 2 digits, district 3, commune 5):
- `provinces`: the 34 provinces and centrally-run cities from 1 July 2025 (code, name, type);
- `communes`: the 3,321 commune-level units (xã, phường, đặc khu) with their province;
- `legacy.provinces` / `legacy.districts` / `legacy.communes`: the units before 1 July 2025;
- `legacy.*.successors`: the post-2025 units each old unit went to, as the package's conversion tables
  give them (communes directly, with `partly` when the old commune was split; provinces directly; districts
  as the union of their communes' successors, since the district level was dissolved).
"""

import ast
import json
import os
import sys
import zipfile

PKG = 'vietnam_provinces'


def fail(message):
    sys.stderr.write('extract-admin-units: %s\n' % message)
    sys.exit(1)


def parse_module(wheel, name):
    try:
        source = wheel.read('%s/%s' % (PKG, name)).decode('utf-8')
    except KeyError:
        fail('the wheel has no %s/%s: is this the pinned version of vietnam-provinces?' % (PKG, name))
    return ast.parse(source, filename=name)


def module_assignments(tree):
    """Top-level `NAME = value` and `NAME: type = value` of a module, as AST nodes."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            out[node.target.id] = node.value
    return out


def enum_values(tree, class_name):
    """`{'TINH': 'tỉnh', …}` of an enum class defined in the module."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            values = {}
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and len(item.targets) == 1
                    and isinstance(item.targets[0], ast.Name)
                    and isinstance(item.value, ast.Constant)
                ):
                    values[item.targets[0].id] = item.value.value
            return values
    fail('enum %s not found' % class_name)


def literal(node, kinds):
    """Value of a data-module expression: constants, tuples, `Enum.MEMBER` and `Record(...)` calls."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return [literal(e, kinds) for e in node.elts]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        enum, member = node.value.id, node.attr
        if enum in ('ProvinceCode', 'DistrictCode', 'WardCode'):
            return int(member.split('_', 1)[1])
        if enum == 'VietNamDivisionType':
            if member not in kinds:
                fail('unknown division type %s' % member)
            return kinds[member]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return {'__type': node.func.id, 'args': [literal(a, kinds) for a in node.args]}
    fail('unexpected expression at line %s: %s' % (getattr(node, 'lineno', '?'), ast.dump(node)[:120]))


def mapping(tree, name, kinds):
    value = module_assignments(tree).get(name)
    if not isinstance(value, ast.Dict):
        fail('%s is not a dict literal' % name)
    return {literal(k, kinds): literal(v, kinds) for k, v in zip(value.keys, value.values)}


def string_constant(tree, name):
    value = module_assignments(tree).get(name)
    if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
        fail('%s is not a string constant' % name)
    return value.value


def pad(code, width):
    return str(code).zfill(width)


def main():
    if len(sys.argv) != 3:
        fail('usage: extract-admin-units.py WHEEL OUT.json')
    wheel_path, out_path = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(wheel_path) as wheel:
        init = parse_module(wheel, '__init__.py')
        version = string_constant(init, '__version__')
        data_version = string_constant(init, '__data_version__')
        metadata_name = '%s-%s.dist-info/METADATA' % (PKG, version)
        metadata = wheel.read(metadata_name).decode('utf-8')
        licence = next(
            (line.split(':', 1)[1].strip() for line in metadata.splitlines() if line.startswith('License-Expression:')),
            'GPL-3.0',
        )

        kinds = enum_values(parse_module(wheel, 'base.py'), 'VietNamDivisionType')
        legacy_kinds = enum_values(parse_module(wheel, 'legacy/base.py'), 'VietNamDivisionType')

        nested = json.loads(wheel.read('%s/data/nested-divisions.json' % PKG).decode('utf-8'))
        provinces = []
        communes = []
        for p in nested:
            provinces.append({'code': pad(p['code'], 2), 'name': p['name'], 'type': p['division_type']})
            for w in p['wards']:
                communes.append(
                    {'code': pad(w['code'], 5), 'name': w['name'], 'type': w['division_type'], 'province': pad(p['code'], 2)}
                )

        legacy_lookup = parse_module(wheel, 'legacy/_lookup.py')
        old_provinces = mapping(legacy_lookup, 'PROVINCE_MAPPING', legacy_kinds)
        old_districts = mapping(legacy_lookup, 'DISTRICT_MAPPING', legacy_kinds)
        old_wards = mapping(legacy_lookup, 'WARD_MAPPING', legacy_kinds)

        ward_conversion = parse_module(wheel, '_ward_conversion_2025.py')
        effective = string_constant(ward_conversion, 'EFFECTIVE_DATE')
        ward_old_to_new = mapping(ward_conversion, 'OLD_TO_NEW', kinds)
        province_old_to_new = mapping(parse_module(wheel, '_province_conversion_2025.py'), 'OLD_TO_NEW', kinds)

    current_codes = {c['code'] for c in communes}
    legacy_communes = []
    district_successors = {}
    for code in sorted(old_wards):
        name, _code, kind, _codename, district = old_wards[code]['args']
        entry = ward_old_to_new.get(code)
        successors = []
        partly = False
        if entry is not None:
            old_ref, new_refs = entry['args']
            partly = bool(old_ref['args'][3])
            successors = [pad(ref['args'][0], 5) for ref in new_refs]
        for s in successors:
            if s not in current_codes:
                fail('old commune %s goes to %s, which is not a current commune' % (code, s))
        legacy_communes.append(
            {
                'code': pad(code, 5),
                'name': name,
                'type': kind,
                'district': pad(district, 3),
                'successors': successors,
                'partly': partly,
            }
        )
        bucket = district_successors.setdefault(pad(district, 3), [])
        for s in successors:
            if s not in bucket:
                bucket.append(s)

    legacy_districts = []
    for code in sorted(old_districts):
        name, _code, kind, _codename, province = old_districts[code]['args']
        legacy_districts.append(
            {
                'code': pad(code, 3),
                'name': name,
                'type': kind,
                'province': pad(province, 2),
                'successors': sorted(district_successors.get(pad(code, 3), [])),
            }
        )

    legacy_provinces = []
    for code in sorted(old_provinces):
        name, _code, kind, _codename, _phone = old_provinces[code]['args']
        entry = province_old_to_new.get(code)
        successors = [pad(ref['args'][0], 2) for ref in entry['args'][1]] if entry else []
        legacy_provinces.append({'code': pad(code, 2), 'name': name, 'type': kind, 'successors': successors})

    out = {
        'source': {
            'package': 'vietnam-provinces',
            'version': version,
            'license': licence,
            'dataVersion': data_version,
            'effectiveDate': effective,
            'format': 1,
        },
        'provinces': provinces,
        'communes': communes,
        'legacy': {'provinces': legacy_provinces, 'districts': legacy_districts, 'communes': legacy_communes},
    }
    tmp = out_path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, separators=(',', ':'))
    os.replace(tmp, out_path)
    sys.stderr.write(
        '    %d provinces, %d communes; before %s: %d provinces, %d districts, %d communes\n'
        % (len(provinces), len(communes), effective, len(legacy_provinces), len(legacy_districts), len(legacy_communes))
    )


if __name__ == '__main__':
    main()
