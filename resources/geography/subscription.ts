/**
 * What the cloud behind one region supports. Read-only, one item per region;
 * the identifier is the region's (`Subscription.get(regionId)`).
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';

@resource({ path: 'geography/Subscription', collection: 'subscriptions', id: 'regionId' })
export class Subscription extends Resource {
  @attribute() regionId!: number;
  @attribute() maxLoadBalancerListeners!: number;
  @attribute() customImages!: boolean;
  @attribute() customNetworks!: boolean;
  @attribute() customSubnets!: boolean;
  @attribute() hypervisorAnalytics!: boolean;
  @attribute() ipAddressesForwarded!: boolean;
  @attribute() loadBalancerAddressAssigned!: boolean;
  @attribute() loadBalancerCreateWithServer!: boolean;
  @attribute() loadBalancerDataCenterLimited!: boolean;
  @attribute() networkDataCenterConstrained!: boolean;
  @attribute() networkWithSubnets!: boolean;
  @attribute() privateIPAddressesAssigned!: boolean;
  @attribute() privateIPAddressesRequestable!: boolean;
  @attribute() privateImageSharing!: boolean;
  @attribute() privateSnapshotSharing!: boolean;
  @attribute() publicIPAddressesAssigned!: boolean;
  @attribute() publicIPAddressesRequestable!: boolean;
  @attribute() publicImageLibrary!: boolean;
  @attribute() publicImageSharing!: boolean;
  @attribute() rdbmsFirewalled!: boolean;
  @attribute() rdbmsHA!: boolean;
  @attribute() rdbmsLA!: boolean;
  @attribute() rdbmsMaintenance!: boolean;
  @attribute() rdbmsSnapshots!: boolean;
  @attribute() serverKeyBootstrapped!: boolean;
  @attribute() subnetDataCenterConstrained!: boolean;
  @attribute() subscribedAutoScaling!: boolean;
  @attribute() subscribedBlobStore!: boolean;
  @attribute() subscribedCDN!: boolean;
  @attribute() subscribedDNS!: boolean;
  @attribute() subscribedEmail!: boolean;
  @attribute() subscribedFirewall!: boolean;
  @attribute() subscribedKVDB!: boolean;
  @attribute() subscribedLoadBalancer!: boolean;
  @attribute() subscribedMQ!: boolean;
  @attribute() subscribedMachineImage!: boolean;
  @attribute() subscribedNetwork!: boolean;
  @attribute() subscribedPushNotification!: boolean;
  @attribute() subscribedRDBMS!: boolean;
  @attribute() subscribedServer!: boolean;
  @attribute() subscribedSnapshot!: boolean;
  @attribute() subscribedStaticIP!: boolean;
  @attribute() subscribedVPN!: boolean;
  @attribute() subscribedVolume!: boolean;
}
