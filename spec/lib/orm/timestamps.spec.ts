/**
 * Timestamps as typed values: `dateOf()` gives a timestamp attribute as a Date (converted
 * by class-transformer) while the attribute and `toJSON()` keep the text the API sent.
 */
import { clearIdentityMaps, Job, Server } from '../../../lib/index.js';

beforeEach(() => clearIdentityMaps());

describe('dateOf()', () => {
  it('reads an API timestamp as a Date; the attribute and toJSON() keep the text the API sent', () => {
    const job = Job.fromItem({ jobId: 1, status: 'COMPLETE', startDate: '2013-01-08T21:13:39.621+0000', endDate: 1357679619621 });
    expect(job.dateOf('startDate')).toEqual(new Date('2013-01-08T21:13:39.621Z'));
    expect(job.dateOf('endDate')).toEqual(new Date(1357679619621));
    expect(job.startDate).toBe('2013-01-08T21:13:39.621+0000');
    expect(job.toJSON()).toEqual({ jobId: 1, status: 'COMPLETE', startDate: '2013-01-08T21:13:39.621+0000', endDate: 1357679619621 });
  });

  it('is undefined for an absent, empty, null or unreadable value (never an Invalid Date)', () => {
    const server = Server.fromItem({ serverId: 5, startDate: 'not a date', stopDate: null, description: '' });
    expect(server.dateOf('startDate')).toBeUndefined();
    expect(server.dateOf('stopDate')).toBeUndefined();
    expect(server.dateOf('description')).toBeUndefined();
    expect(server.dateOf('terminateAfter')).toBeUndefined();
  });
});

describe('Job belongs to the ORM', () => {
  it('is one class, exported by the package root and mixcoatl/admin alike', async () => {
    const admin = await import('../../../resources/admin/index.js');
    const orm = await import('../../../lib/orm/job.js');
    expect(admin.Job).toBe(Job);
    expect(orm.Job).toBe(Job);
  });
});
