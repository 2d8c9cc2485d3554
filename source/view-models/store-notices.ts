/** What both front ends say while another edgenet is writing the store and this one waits for it. */
export const waitingForStoreNotice = 'waiting for the store lock…';
