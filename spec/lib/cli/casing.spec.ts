import { camelKeys, camelToSnake, convertKeys, snakeKeys, snakeToCamel } from '../../../lib/cli/casing.js';

describe('camelToSnake (REFERENCE §3.2)', () => {
  it.each([
    ['dataCenterId', 'data_center_id'],
    ['hasCloudAPIAccess', 'has_cloud_api_access'],
    ['cloudProviderConsoleURL', 'cloud_provider_console_url'],
    ['subscribedRDBMS', 'subscribed_rdbms'],
    ['rdbmsHA', 'rdbms_ha'],
    ['privateIPAddressesAssigned', 'private_ip_addresses_assigned'],
    ['computeX509CertLabel', 'compute_x509_cert_label'],
    ['cpuInGHz', 'cpu_in_g_hz'],
    ['computePKCS12PasswordLabel', 'compute_pkc_s12_password_label'],
    ['cmSystemID', 'cm_system_id'],
    // The original's doctests.
    ['deviceId', 'device_id'],
    ['dataCenterName', 'data_center_name'],
    // Edges of the rule.
    ['name', 'name'],
    ['ID', 'id'],
    ['URL', 'url'],
    ['Name', 'name'],
    ['already_snake', 'already_snake'],
    ['_private', 'private'],
    ['trailing_', 'trailing'],
    ['a1B', 'a1b'],
    ['aB1', 'a_b1'],
    ['AbC', 'ab_c'],
    ['a_B', 'a_b'],
    ['ipV4', 'ip_v4'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(camelToSnake(input)).toBe(expected);
  });
});

describe('snakeToCamel (REFERENCE §3.2)', () => {
  it.each([
    ['has_cloud_api_access', 'hasCloudApiAccess'],
    ['environmentId', 'environmentid'],
    ['cmAccountId', 'cmaccountid'],
    ['cpu_in_g_hz', 'cpuInGHz'],
    ['data_center_id', 'dataCenterId'],
    // The original's doctest.
    ['this_is_a_thing', 'thisIsAThing'],
    // Python str.title(): a letter after a digit starts a new word.
    ['compute_x509cert_label', 'computeX509CertLabel'],
    ['compute_pkc_s12_password_label', 'computePkcS12PasswordLabel'],
    ['__double__', 'double'],
    ['a1b2c', 'a1B2C'],
    ['ab_cd3ef', 'abCd3Ef'],
    ['ID', 'id'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(snakeToCamel(input)).toBe(expected);
  });

  it('makes the round trip lossy for acronyms, as the original did', () => {
    expect(snakeToCamel(camelToSnake('hasCloudAPIAccess'))).toBe('hasCloudApiAccess');
  });
});

describe('key conversion of whole records', () => {
  it('descends into objects and arrays of objects, leaving scalars and arrays of scalars alone', () => {
    const record = {
      serverId: 1,
      dataCenter: { dataCenterId: 2, region: { regionId: 3 } },
      owningGroups: [{ groupId: 4 }],
      tags: ['someTag', 'otherTag'],
      privateIPAddresses: ['10.0.0.1'],
    };
    expect(snakeKeys(record)).toEqual({
      server_id: 1,
      data_center: { data_center_id: 2, region: { region_id: 3 } },
      owning_groups: [{ group_id: 4 }],
      tags: ['someTag', 'otherTag'],
      private_ip_addresses: ['10.0.0.1'],
    });
  });

  it('matches the original doctests of uncamel_keys and camel_keys', () => {
    expect(snakeKeys({ myThings: [{ thingId: 1, someThings: { firstThing: 'a_thing' } }] })).toEqual({
      my_things: [{ thing_id: 1, some_things: { first_thing: 'a_thing' } }],
    });
    expect(camelKeys({ my_things: [{ thing_id: 1, some_things: { first_thing: 'a_thing' } }] })).toEqual({
      myThings: [{ thingId: 1, someThings: { firstThing: 'a_thing' } }],
    });
  });

  it('maps a top-level array of records', () => {
    expect(snakeKeys([{ aB: 1 }, { cD: 2 }])).toEqual([{ a_b: 1 }, { c_d: 2 }]);
  });

  it('returns scalars and class instances unchanged', () => {
    const date = new Date(0);
    expect(snakeKeys(5)).toBe(5);
    expect(snakeKeys(null)).toBeNull();
    expect(snakeKeys(date)).toBe(date);
  });

  it('does not mutate its input', () => {
    const input = { aB: { cD: 1 } };
    snakeKeys(input);
    expect(input).toEqual({ aB: { cD: 1 } });
  });

  it('keeps a __proto__ key an ordinary key instead of setting a prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": 1}, "aB": 1}') as unknown;
    const out = convertKeys(input, (k) => k) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
