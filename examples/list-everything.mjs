// Lists what the account can use: every region with its data centers, server products and machine images.
import { DataCenter, MachineImage, Region, ServerProduct } from 'mixcoatl';

const regions = await Region.all();
console.log(`${regions.length} regions`);

for (const region of regions) {
  // Three listings of the region at once: one request each, every item arrives loaded.
  const [dataCenters, products, images] = await Promise.all([
    DataCenter.all({ regionId: region.regionId }),
    ServerProduct.all({ regionId: region.regionId }),
    MachineImage.all({ regionId: region.regionId }),
  ]);
  console.log(`\n${region.name} (${region.regionId}, ${region.jurisdiction}): ${region.description}`);
  for (const dc of dataCenters) console.log(`  data center ${dc.dataCenterId} ${dc.name} ${dc.status}`);
  for (const p of products) console.log(`  product ${p.providerProductId}: ${p.cpuCount} CPU, ${p.ramInMb} MB, ${p.hourlyRate} ${p.currency}/h`);
  for (const image of images) console.log(`  image ${image.machineImageId} ${image.platform} ${image.name}`);
}
