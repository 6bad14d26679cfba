/**
 * Node library for Project Catalog backend modules: the extension point and the
 * CampaignCheckType interface for campaign check types.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './CampaignCheckType';
